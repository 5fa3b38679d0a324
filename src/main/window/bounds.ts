/**
 * The window's size and position, remembered between launches in `window-state.json` (Electron's
 * userData folder). A saved position is used only if it still overlaps a display (monitors come and
 * go); otherwise the size is kept and the window is centred.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomicSync } from '../files/atomic-file';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const WindowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(20000),
  height: z.number().int().min(200).max(20000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const DEFAULT_WINDOW_SIZE = { width: 1400, height: 900 };

/** The saved state, or undefined when there is none or it is unreadable (never an error: it is a nicety). */
export function readWindowState(file: string): WindowState | undefined {
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  writeFileAtomicSync(file, JSON.stringify(state));
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Bounds for the new window: the saved ones when at least a 100×50 corner of the title bar area is on
 * some display's work area, else the saved (or default) size clamped to the primary work area, centred
 * (x/y omitted).
 */
export function restoreBounds(saved: WindowState | undefined, workAreas: readonly Rect[]): Partial<Rect> & { width: number; height: number } {
  const primary = workAreas[0];
  const size = saved ? { width: saved.width, height: saved.height } : DEFAULT_WINDOW_SIZE;
  const clamped = primary ? { width: Math.min(size.width, primary.width), height: Math.min(size.height, primary.height) } : size;
  if (saved) {
    const titleBar: Rect = { x: saved.x, y: saved.y, width: Math.min(saved.width, 100), height: 50 };
    if (workAreas.some((area) => overlapArea(titleBar, area) >= Math.min(titleBar.width * 50, 100 * 50))) {
      return { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
    }
  }
  return clamped;
}
