/**
 * Marks files with identical content. The first file (in the given order) that has a hash is the
 * original; every later file with the same hash gets `duplicateOf = <original's relPath>`.
 */
export function findDuplicates(
  files: readonly { relPath: string; hash: string }[],
): Map<string, string> {
  const firstByHash = new Map<string, string>();
  const duplicateOf = new Map<string, string>();
  for (const f of files) {
    const original = firstByHash.get(f.hash);
    if (original === undefined) firstByHash.set(f.hash, f.relPath);
    else duplicateOf.set(f.relPath, original);
  }
  return duplicateOf;
}
