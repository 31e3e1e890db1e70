import type { EventTerms } from '../../../domain/event';
import { saleOpen } from '../../presenters/queuePlace';
import { drawOrder } from '../../../queues/fairDraw';
import type { WaitingRoom } from '../../waitingRoom/waitingRoom';

export interface FairnessView {
  eventId: string;
  onSaleAt: string | null;
  /** sha256(seed), hex: published before the sale, so the seed cannot be chosen after the joins are seen. */
  commitment: string;
  /** Revealed once the sale opens; null before. */
  seed: string | null;
  algorithm: string;
  /** Once revealed: every pre-queue place's id in the drawn order (position 1 first); null before. */
  preQueue: string[] | null;
}

export const DRAW_ALGORITHM =
  'pre-queue ordered by the first 12 hex digits of sha256(seed + ":" + queueId), ascending; ties by queueId';

/** `GET /events/:id/queue/fairness`: the commitment, and once the sale is open, the seed and the draw. */
export async function fairnessOf(room: WaitingRoom, event: EventTerms, now = Date.now()): Promise<FairnessView> {
  const seed = await room.seedOf(event.id);
  const revealed = saleOpen(event, now);
  return {
    eventId: event.id,
    onSaleAt: event.onSaleAt,
    commitment: await room.commitmentOf(event.id),
    seed: revealed ? seed : null,
    algorithm: DRAW_ALGORITHM,
    preQueue: revealed ? drawOrder(seed, await room.store.preQueue(event.id)) : null,
  };
}
