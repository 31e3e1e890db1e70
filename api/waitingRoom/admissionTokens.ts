import { errors, jwtVerify, SignJWT } from 'jose';
import { ErrorCode } from '../../domain/errorCodes';
import { AppError } from '../errors';

const AUDIENCE = 'seatflow-admission';

/** What an admission token proves: this user was let in for this event, until `exp`. */
export interface Admission {
  userId: string;
  eventId: string;
  queueId: string;
}

export interface AdmissionTokens {
  /** The token of an admitted place; the same place and deadline always give the same token. */
  sign(admission: Admission, untilMs: number): Promise<string>;
  /** The admission a token carries for `eventId` and `userId`, or 403 ADMISSION_EXPIRED / ADMISSION_INVALID. */
  verify(token: string, expected: { eventId: string; userId: string }): Promise<Admission>;
}

export const admissionRequired = () =>
  new AppError(ErrorCode.AdmissionRequired, 'This event has a waiting room: join it (POST /events/:id/queue) and send the Admission-Token you are given');
const admissionExpired = () =>
  new AppError(ErrorCode.AdmissionExpired, 'This admission has lapsed: join the waiting room again');
const admissionInvalid = (why: string) => new AppError(ErrorCode.AdmissionInvalid, `This admission token is not valid here: ${why}`);

/**
 * Admission tokens: HS256 JWTs under ADMISSION_TOKEN_SECRET, short-lived (the room's
 * admissionSeconds), bound to one user and one event. Only the API signs them, when it answers an
 * admitted place, so the worker never holds the secret.
 */
export function createAdmissionTokens(secret: string): AdmissionTokens {
  const key = new TextEncoder().encode(secret);
  return {
    async sign(admission, untilMs) {
      return new SignJWT({ evt: admission.eventId, qid: admission.queueId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(admission.userId)
        .setAudience(AUDIENCE)
        .setExpirationTime(Math.floor(untilMs / 1000))
        .sign(key);
    },
    async verify(token, expected) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], audience: AUDIENCE, requiredClaims: ['exp', 'sub'] }));
      } catch (err) {
        if (err instanceof errors.JWTExpired) throw admissionExpired();
        throw admissionInvalid('it was not issued by this waiting room (forged, altered or malformed)');
      }
      if (payload.evt !== expected.eventId) throw admissionInvalid('it was issued for another event');
      if (payload.sub !== expected.userId) throw admissionInvalid('it was issued to another buyer');
      if (typeof payload.qid !== 'string') throw admissionInvalid('it names no queue place');
      return { userId: payload.sub, eventId: payload.evt, queueId: payload.qid };
    },
  };
}
