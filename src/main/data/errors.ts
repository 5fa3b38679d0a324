/**
 * Errors that refuse a whole import (as opposed to a single file, which is skipped with a reason).
 * `code` is stable so transports can map it; `message` is one line a user can read.
 */
export type DatasetImportErrorCode =
  | 'not-found'
  | 'not-a-directory'
  | 'unreadable'
  | 'empty'
  | 'no-valid-images'
  | 'cache-inside-dataset'
  | 'aborted'
  | 'bad-format';

export class DatasetImportError extends Error {
  override readonly name = 'DatasetImportError';
  constructor(
    readonly code: DatasetImportErrorCode,
    message: string,
    /** Files skipped before the import was refused (for `no-valid-images`). */
    readonly skipped: readonly { path: string; reason: string }[] = [],
  ) {
    super(message);
  }
}

/** Throws `DatasetImportError('aborted')` when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DatasetImportError('aborted', 'import cancelled');
}
