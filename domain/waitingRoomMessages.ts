/** The waiting room's realtime messages (Socket.IO event names, and the SSE `event:` field). */
export const QueueEvents = {
  /** Client → server: `{eventId, queueId}`, to be told of that place's changes. */
  subscribe: 'queue:subscribe',
  unsubscribe: 'queue:unsubscribe',
  /** Server → client: the place (the shape GET /events/:id/queue/:queueId answers), now and on each change. */
  place: 'queue_place',
  /** Server → client: `{error, code, message}`. */
  error: 'queue_error',
} as const;
