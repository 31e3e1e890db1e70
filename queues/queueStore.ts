import type { StoredPlace } from '../domain/waitingRoom';

/** One buyer let in by an admission tick. */
export interface AdmittedBuyer {
  queueId: string;
  userId: string;
}

export interface JoinRequest {
  userId: string;
  /** The id the place gets if this user has none yet. */
  queueId: string;
  now: number;
  /**
   * Joined before the on-sale: the place's rank in the fair draw (fairDraw.ts), below every later
   * arrival's; undefined: after the on-sale, in arrival order.
   */
  drawScore: number | undefined;
}

/**
 * Where the queues live: Redis, shared by every API node (redisQueueStore.ts), or this process's
 * memory for a single node (memoryQueueStore.ts). Both keep one place per user per event, and a
 * join is atomic: concurrent joins by one user get one place.
 */
export interface QueueStore {
  readonly kind: 'redis' | 'memory';
  /** The event's fair-draw seed, made (randomly) on first use and kept from then on. */
  seed(eventId: string): Promise<string>;
  /** The user's place: a new one (`created`), or the one they already have. */
  join(eventId: string, request: JoinRequest): Promise<{ place: StoredPlace; created: boolean }>;
  read(eventId: string, queueId: string): Promise<StoredPlace | undefined>;
  readMany(eventId: string, queueIds: string[]): Promise<(StoredPlace | undefined)[]>;
  /** Every place that joined before the on-sale, by queue id (for the published draw). */
  preQueue(eventId: string): Promise<string[]>;
  /** How many wait, and how many are admitted and neither done nor lapsed. */
  counts(eventId: string): Promise<{ waiting: number; active: number }>;
  /**
   * Lets in up to `max` buyers from the head of the queue, admitted until `until` (ms). The same
   * `tickId` answers the same buyers again without admitting more (a retried activity).
   */
  admit(eventId: string, tickId: string, max: number, until: number): Promise<AdmittedBuyer[]>;
  /** Admissions past `now` that were not used become EXPIRED and stop counting as active; answers them. */
  expireLapsed(eventId: string, now: number): Promise<string[]>;
  /** An admitted buyer booked: they no longer count as active (their seats count instead). */
  markUsed(eventId: string, queueId: string): Promise<void>;
  /** Nothing left to sell: everyone waiting, and everyone who joins from now on, is SOLD_OUT. Answers how many were waiting. */
  markSoldOut(eventId: string): Promise<number>;
  close(): Promise<void>;
}

/** Encodes what a place keeps besides its status: `joinedAt|pre|userId` (the user id last, as it may hold `|`). */
export function encodePlace(joinedAt: number, preQueue: boolean, userId: string): string {
  return `${joinedAt}|${preQueue ? 1 : 0}|${userId}`;
}

export function decodePlace(raw: string): { joinedAt: number; preQueue: boolean; userId: string } {
  const first = raw.indexOf('|');
  const second = raw.indexOf('|', first + 1);
  return { joinedAt: Number(raw.slice(0, first)), preQueue: raw.slice(first + 1, second) === '1', userId: raw.slice(second + 1) };
}
