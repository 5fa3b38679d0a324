import type { z } from 'zod';
import { WorkbenchError } from './errors';

/**
 * Parse `value` with `schema` or throw INVALID_INPUT listing every problem as `field: message`,
 * the one error text users see for bad input whatever the front.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.join('.') || '(root)',
    message: issue.message,
  }));
  const text = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new WorkbenchError('INVALID_INPUT', `invalid ${what}: ${text}`, { issues });
}
