/**
 * The browser transport's frames (JSON over one WebSocket). Calls carry a client-chosen id; replies
 * echo it. Events are pushed without an id. Validated on both sides.
 */
import { z } from 'zod';
import type { WorkbenchErrorShape } from './errors';

export const ClientFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: z.number().int().nonnegative(), channel: z.string(), payload: z.unknown() }),
  z.object({ type: z.literal('cancel'), id: z.number().int().nonnegative() }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export type ServerFrame =
  | { type: 'reply'; id: number | null; ok: true; result: unknown }
  | { type: 'reply'; id: number | null; ok: false; error: WorkbenchErrorShape }
  | { type: 'event'; channel: string; payload: unknown };
