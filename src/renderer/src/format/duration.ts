/** `h:mm:ss` / `m:ss` for a number of seconds; '—' when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0)
    return '—';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Fraction of a run done, from the time it has trained and the engine's ETA: the progress event
 * carries no total step count, so elapsed / (elapsed + remaining) is the honest estimate.
 */
export function progressFraction(
  startedAt: string | null,
  etaSeconds: number,
  now = Date.now(),
): number | null {
  if (!startedAt || !Number.isFinite(etaSeconds)) return null;
  const elapsed = (now - Date.parse(startedAt)) / 1000;
  if (!Number.isFinite(elapsed) || elapsed < 0) return null;
  return elapsed + etaSeconds > 0 ? Math.min(1, elapsed / (elapsed + etaSeconds)) : 1;
}
