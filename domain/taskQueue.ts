export const DEFAULT_TASK_QUEUE = 'seatflow-bookings';

export function bookingWorkflowId(bookingId: string): string {
  return `booking-${bookingId}`;
}
