/**
 * Turns file-system and decoder errors into one short sentence a user can act on.
 * Everything that ends up in `skipped[].reason` goes through here.
 */
export function fsErrorReason(err: unknown, what: 'file' | 'folder'): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return `${what} disappeared during import`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied (cannot read this ${what})`;
    case 'ELOOP':
      return 'symbolic link loop';
    case 'ENOTDIR':
      return `${what} was replaced during import`;
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files; try again';
    default:
      return `cannot read ${what}: ${firstLine(err)}`;
  }
}

/** sharp/libvips messages can span many lines of decoder chatter; keep the first. */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? message).trim();
}

/**
 * A sentence for a decoding failure. `headerRead`: the file's header was already read as an image
 * (the probe succeeded), so a failing full decode means damaged pixel data whatever libvips says —
 * its message is sometimes just "Unknown error" when the error buffer of a pool thread is empty.
 */
export function decodeErrorReason(err: unknown, headerRead = false): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code) return fsErrorReason(err, 'file');
  const msg = firstLine(err);
  if (/exceeds pixel limit/i.test(msg)) return 'image too large (exceeds the pixel limit)';
  if (/unsupported image format/i.test(msg))
    return 'not a readable image (unknown or unsupported format)';
  if (headerRead || /premature end|truncat|read error|corrupt|bad|invalid/i.test(msg))
    return `corrupt or truncated image (${msg})`;
  return `cannot decode image (${msg})`;
}
