import { QueueStatus, type StoredPlace } from '../domain/waitingRoom';
import { newSeed } from './fairDraw';
import type { AdmittedBuyer, QueueStore } from './queueStore';

interface Entry {
  score: number;
  queueId: string;
}

interface EventQueue {
  seed: string;
  users: Map<string, string>;
  places: Map<string, { userId: string; joinedAt: number; preQueue: boolean; status: QueueStatus; until: number | null }>;
  /** Waiting places sorted by (score, queueId), as Redis orders a sorted set. */
  waiting: Entry[];
  active: Map<string, number>;
  seq: number;
  soldOut: boolean;
  ticks: Map<string, AdmittedBuyer[]>;
}

const before = (a: Entry, b: Entry) => a.score < b.score || (a.score === b.score && a.queueId < b.queueId);

/** Index of the first entry not before `entry` (binary search). */
function lowerBound(list: Entry[], entry: Entry): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid], entry)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The queues in this process's memory: for one API node alone (no Redis). The same behaviour as
 * the Redis store, with JavaScript's single thread as the atomicity: no method awaits mid-change.
 */
export function createMemoryQueueStore(): QueueStore {
  const events = new Map<string, EventQueue>();
  const queueOf = (eventId: string): EventQueue => {
    let queue = events.get(eventId);
    if (!queue) {
      queue = { seed: newSeed(), users: new Map(), places: new Map(), waiting: [], active: new Map(), seq: 0, soldOut: false, ticks: new Map() };
      events.set(eventId, queue);
    }
    return queue;
  };
  const scores = new Map<string, number>();

  const read = (eventId: string, queueId: string): StoredPlace | undefined => {
    const queue = events.get(eventId);
    const place = queue?.places.get(queueId);
    if (!queue || !place) return undefined;
    let rank: number | null = null;
    if (place.status === QueueStatus.Waiting) {
      const score = scores.get(`${eventId}/${queueId}`);
      if (score !== undefined) rank = lowerBound(queue.waiting, { score, queueId }) + 1;
    }
    return { queueId, eventId, userId: place.userId, status: place.status, rank, admittedUntil: place.until, joinedAt: place.joinedAt, preQueue: place.preQueue };
  };

  return {
    kind: 'memory',
    async seed(eventId) {
      return queueOf(eventId).seed;
    },
    async join(eventId, request) {
      const queue = queueOf(eventId);
      const existing = queue.users.get(request.userId);
      if (existing) return { place: read(eventId, existing) as StoredPlace, created: false };
      const preQueue = request.drawScore !== undefined;
      const status = queue.soldOut ? QueueStatus.SoldOut : QueueStatus.Waiting;
      queue.users.set(request.userId, request.queueId);
      queue.places.set(request.queueId, { userId: request.userId, joinedAt: request.now, preQueue, status, until: null });
      if (status === QueueStatus.Waiting) {
        const entry = { score: request.drawScore ?? ++queue.seq, queueId: request.queueId };
        scores.set(`${eventId}/${request.queueId}`, entry.score);
        queue.waiting.splice(lowerBound(queue.waiting, entry), 0, entry);
      }
      return { place: read(eventId, request.queueId) as StoredPlace, created: true };
    },
    async read(eventId, queueId) {
      return read(eventId, queueId);
    },
    async readMany(eventId, queueIds) {
      return queueIds.map((queueId) => read(eventId, queueId));
    },
    async preQueue(eventId) {
      const queue = events.get(eventId);
      return queue ? [...queue.places].filter(([, p]) => p.preQueue).map(([queueId]) => queueId) : [];
    },
    async counts(eventId) {
      const queue = events.get(eventId);
      return { waiting: queue?.waiting.length ?? 0, active: queue?.active.size ?? 0 };
    },
    async admit(eventId, tickId, max, until) {
      const queue = queueOf(eventId);
      const done = queue.ticks.get(tickId);
      if (done) return done;
      const admitted = queue.waiting.splice(0, Math.max(0, max)).map(({ queueId }) => {
        const place = queue.places.get(queueId);
        if (!place) throw new Error(`queue place ${queueId} is waiting but unknown`);
        place.status = QueueStatus.Admitted;
        place.until = until;
        queue.active.set(queueId, until);
        return { queueId, userId: place.userId };
      });
      queue.ticks.set(tickId, admitted);
      return admitted;
    },
    async expireLapsed(eventId, now) {
      const queue = events.get(eventId);
      if (!queue) return [];
      const lapsed: string[] = [];
      for (const [queueId, until] of queue.active) {
        if (until > now) continue;
        queue.active.delete(queueId);
        const place = queue.places.get(queueId);
        if (place?.status === QueueStatus.Admitted) place.status = QueueStatus.Expired;
        lapsed.push(queueId);
      }
      return lapsed;
    },
    async markUsed(eventId, queueId) {
      events.get(eventId)?.active.delete(queueId);
    },
    async markSoldOut(eventId) {
      const queue = queueOf(eventId);
      queue.soldOut = true;
      const waiting = queue.waiting.splice(0);
      for (const { queueId } of waiting) {
        const place = queue.places.get(queueId);
        if (place) place.status = QueueStatus.SoldOut;
      }
      return waiting.length;
    },
    async close() {
      events.clear();
    },
  };
}
