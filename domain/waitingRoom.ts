/**
 * The waiting room: an event's settings, the queue place a buyer gets, and its statuses. No I/O.
 */

/** An event's waiting room, switched on by the organiser; `null` on the event means off. */
export interface WaitingRoomSettings {
  /** Buyers let in per minute once the sale opens. */
  admitPerMinute: number;
  /** Most buyers admitted and not yet done (booked, or their admission lapsed) at once; null: only the seats bound it. */
  maxActive: number | null;
  /** How long an admission (and its token) lasts: the buyer's time to start booking. */
  admissionSeconds: number;
}

export const DEFAULT_ADMISSION_SECONDS = 300;

export const QueueStatus = {
  Waiting: 'WAITING',
  Admitted: 'ADMITTED',
  Expired: 'EXPIRED',
  SoldOut: 'SOLD_OUT',
} as const;
export type QueueStatus = (typeof QueueStatus)[keyof typeof QueueStatus];

/** A buyer's place as the store keeps it. */
export interface StoredPlace {
  queueId: string;
  eventId: string;
  userId: string;
  status: QueueStatus;
  /** 1-based among those still waiting; null while not waiting or before the sale opens. */
  rank: number | null;
  /** Set while ADMITTED: when the admission (and its token) lapses, in ms since the epoch. */
  admittedUntil: number | null;
  joinedAt: number;
  /** Joined before the on-sale: placed by the fair draw, not by arrival. */
  preQueue: boolean;
}

/** A queue place as the API answers it. */
export interface QueuePlaceView {
  queueId: string;
  eventId: string;
  userId: string;
  status: QueueStatus;
  position: number | null;
  etaSeconds: number | null;
  admissionToken: string | null;
  /** When the admission lapses (ISO), while ADMITTED. */
  admittedUntil: string | null;
}

/** Seconds until a buyer at `position` is admitted at `admitPerMinute`, at the earliest. */
export function etaSeconds(position: number | null, admitPerMinute: number): number | null {
  if (position === null) return null;
  return Math.ceil((position * 60) / admitPerMinute);
}
