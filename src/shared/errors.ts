/**
 * The one error shape that crosses every boundary (IPC, WebSocket, CLI, engine worker):
 * `{ code, message, details }`. Codes are stable; messages are for people.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'UNKNOWN_CHANNEL',
  'UNAUTHORIZED',
  'CONFLICT',
  'UNAVAILABLE',
  'CANCELLED',
  'STORE_ERROR',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WorkbenchErrorShape {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export class WorkbenchError extends Error implements WorkbenchErrorShape {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'WorkbenchError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }

  toJSON(): WorkbenchErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Turn anything thrown into the wire shape; unknown errors become INTERNAL with their message. */
export function toErrorShape(err: unknown): WorkbenchErrorShape {
  if (err instanceof WorkbenchError) return err.toJSON();
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err) {
    const { code, message, details } = err as { code: unknown; message: unknown; details?: unknown };
    if (isErrorCode(code) && typeof message === 'string') {
      return details === undefined ? { code, message } : { code, message, details };
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}

/** Rebuild a throwable error from the wire shape (renderer and CLI side). */
export function fromErrorShape(shape: WorkbenchErrorShape): WorkbenchError {
  return new WorkbenchError(shape.code, shape.message, shape.details);
}
