/** Hours before an event starts after which its confirmed bookings can no longer be cancelled, unless the event says otherwise. */
export const DEFAULT_CANCELLATION_CUTOFF_HOURS = 24;

/**
 * The last moment a confirmed booking of the event may be cancelled (ISO), or null when there is
 * none: an event with no start time may be cancelled at any time.
 */
export function cancellationDeadline(event: { startsAt: string | null; cancellationCutoffHours: number }): string | null {
  if (!event.startsAt) return null;
  return new Date(Date.parse(event.startsAt) - event.cancellationCutoffHours * 3_600_000).toISOString();
}

export function cancellationOpen(event: { startsAt: string | null; cancellationCutoffHours: number }, nowMs: number): boolean {
  const deadline = cancellationDeadline(event);
  return deadline === null || nowMs < Date.parse(deadline);
}
