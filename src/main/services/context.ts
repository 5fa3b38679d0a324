/** What every service gets: the workspace, its record, the engine and a way to publish events. */
import type { EventChannel, EventPayload } from '../../shared/events';
import type { EngineClient } from '../engine/client';
import type { Store } from '../store/store';

export type EventSink = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;

export interface ServiceContext {
  home: string;
  store: Store;
  engine: EngineClient;
  emit: EventSink;
  front: 'electron' | 'browser';
  version: string;
  /** One human line about something repaired on the way (a rebuilt cache); default: stderr. */
  notice?: (line: string) => void;
}

export function notice(ctx: ServiceContext, line: string): void {
  (ctx.notice ?? ((l: string) => process.stderr.write(`cwb note: ${l}\n`)))(line);
}
