import { CALLS, isCallChannel, type Outcome } from '../../../shared/api';
import { EVENTS, isEventChannel } from '../../../shared/events';
import type { WorkbenchApi } from '../../../shared/index';
import type { Transport } from './transport';

type Loose = Record<string, (arg: unknown) => unknown>;

/**
 * Requests are JSON data by contract (the WebSocket sends them as JSON too). Copying them as JSON
 * also drops Vue's reactive proxies, which the contextBridge's structured clone refuses.
 */
function plain(payload: unknown): unknown {
  return payload === undefined ? undefined : JSON.parse(JSON.stringify(payload));
}

/** Electron: every call goes through the preload's one-function-per-call bridge. */
export function createIpcTransport(bridge: WorkbenchApi): Transport {
  const loose = bridge as unknown as Loose;
  return {
    kind: 'ipc',
    call(channel, payload) {
      if (!isCallChannel(channel)) return Promise.reject(new Error(`unknown call ${channel}`));
      const fn = loose[CALLS[channel].method];
      if (!fn) return Promise.reject(new Error(`the preload does not expose ${channel}`));
      return fn(plain(payload)) as Promise<Outcome<unknown>>;
    },
    on(channel, callback) {
      if (!isEventChannel(channel)) throw new Error(`unknown event ${channel}`);
      const subscribe = loose[EVENTS[channel].listener];
      if (!subscribe) throw new Error(`the preload does not expose ${channel}`);
      return subscribe(callback) as () => void;
    },
  };
}
