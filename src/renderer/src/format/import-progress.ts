/**
 * The import's progress as people read it: which phase of scan → hash → decode → cache it is in,
 * as "step k of 4", with the bar showing that phase's own fraction (the count in the label and the
 * bar's width are the same done/total, never another phase's numbers).
 */
export const IMPORT_PHASES = ['scan', 'hash', 'decode', 'cache'] as const;

const PHASE_TEXT: Record<string, string> = {
  scan: 'scanning folders',
  hash: 'hashing files and reading headers',
  decode: 'decoding images',
  cache: 'writing the tensor cache',
  split: 'splitting train / validation',
};

export interface ImportProgressView {
  label: string;
  done: number;
  total: number;
}

/** Label and bar numbers for one `datasets:import-progress` event (unknown phases are named as sent). */
export function importProgressView(event: { phase: string; done: number; total: number }): ImportProgressView {
  const step = (IMPORT_PHASES as readonly string[]).indexOf(event.phase);
  const text = PHASE_TEXT[event.phase] ?? event.phase;
  const where = step >= 0 ? `step ${step + 1} of ${IMPORT_PHASES.length}: ` : event.phase === 'split' ? 'finishing: ' : '';
  return { label: `Importing — ${where}${text}`, done: Math.min(event.done, event.total), total: event.total };
}
