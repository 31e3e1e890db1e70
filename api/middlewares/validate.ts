import type { z } from 'zod';
import { validationFailed } from '../errors';

/** Checks input against a schema; the first problems, with their paths, become a 400. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || what, message: i.message }));
  const summary = issues
    .slice(0, 3)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  throw validationFailed(`Invalid ${what}: ${summary}`, { issues });
}

/** PostgreSQL text cannot hold U+0000, so such input is the caller's mistake (400), not a database failure. */
export const hasNoNul = (value: string): boolean => !value.includes('\u0000');
export const NO_NUL_MESSAGE = 'must not contain NUL (U+0000) characters';
