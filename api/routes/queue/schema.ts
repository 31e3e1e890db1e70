import { z } from 'zod';
import { hasNoNul, NO_NUL_MESSAGE } from '../../middlewares/validate';

/** `POST /events/:id/queue`; with a token, `userId` may be left out (the token's user). */
export const JoinQueueSchema = z.strictObject({
  userId: z.string().trim().min(1).max(128).refine(hasNoNul, NO_NUL_MESSAGE).optional(),
});
