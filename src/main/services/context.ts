/** What every service gets: the workspace, its record, the engine and a way to publish events. */
import type { EventChannel, EventPayload } from '../../shared/events';
import type { EngineClient } from '../engine/client';
import type { Store } from '../store/store';
import type { DesktopPort } from './desktop';

export type EventSink = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;

export interface ServiceContext {
  home: string;
  store: Store;
  engine: EngineClient;
  emit: EventSink;
  front: 'electron' | 'browser';
  version: string;
  /** Native dialogs and the file manager: the desktop app only. */
  desktop?: DesktopPort;
  /** The folder browser lists folders under this one (the user's home). */
  browseRoot: string;
  /** One human line about something repaired on the way (a rebuilt cache); default: stderr. */
  notice?: (line: string) => void;
}

export function notice(ctx: ServiceContext, line: string): void {
  (ctx.notice ?? ((l: string) => process.stderr.write(`cwb note: ${l}\n`)))(line);
}
