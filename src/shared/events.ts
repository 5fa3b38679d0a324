/**
 * Events the main process pushes to the renderer ("listen" in VS Code's IPC vocabulary).
 * Each is a domain-prefixed channel, a zod payload schema and the preload's `onX` name.
 */
import type { z } from 'zod';
import { ImportProgressEventSchema } from './schemas/datasets';
import { MenuCommandSchema } from './schemas/files';
import { RunEpochEventSchema, RunProgressEventSchema, RunStateEventSchema } from './schemas/runs';

export const EVENTS = {
  'datasets:import-progress': { payload: ImportProgressEventSchema, listener: 'onImportProgress' },
  'runs:progress': { payload: RunProgressEventSchema, listener: 'onRunProgress' },
  'runs:epoch': { payload: RunEpochEventSchema, listener: 'onRunEpoch' },
  'runs:state': { payload: RunStateEventSchema, listener: 'onRunState' },
  'app:menu': { payload: MenuCommandSchema, listener: 'onMenuCommand' },
} as const;

export type Events = typeof EVENTS;
export type EventChannel = keyof Events;
export type EventPayload<E extends EventChannel> = z.output<Events[E]['payload']>;

export const EVENT_CHANNELS = Object.keys(EVENTS) as EventChannel[];

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, value);
}

export type WorkbenchEvents = {
  [E in EventChannel as Events[E]['listener']]: (
    callback: (payload: EventPayload<E>) => void,
  ) => () => void;
};
