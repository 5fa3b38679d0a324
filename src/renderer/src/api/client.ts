/**
 * The renderer's only door to the main process. Picks IPC when the preload bridge exists, else the
 * WebSocket of browser mode, and turns error envelopes back into typed `WorkbenchError`s.
 */
import type { CallChannel, CallReply, CallRequest } from '../../../shared/api';
import { fromErrorShape } from '../../../shared/errors';
import type { EventChannel, EventPayload } from '../../../shared/events';
import { createIpcTransport } from './ipc-transport';
import type { Transport } from './transport';
import { createWsTransport } from './ws-transport';

export interface ApiClient {
  readonly transport: Transport['kind'];
  call<C extends CallChannel>(channel: C, request: CallRequest<C>): Promise<CallReply<C>>;
  on<E extends EventChannel>(channel: E, callback: (payload: EventPayload<E>) => void): () => void;
}

export function createApiClient(transport: Transport): ApiClient {
  return {
    transport: transport.kind,
    async call(channel, request) {
      const outcome = await transport.call(channel, request);
      if (!outcome.ok) throw fromErrorShape(outcome.error);
      return outcome.result as CallReply<typeof channel>;
    },
    on(channel, callback) {
      return transport.on(channel, callback as (payload: unknown) => void);
    },
  };
}

function pickTransport(): Transport {
  return window.workbench
    ? createIpcTransport(window.workbench)
    : createWsTransport(window.location);
}

let client: ApiClient | undefined;

/** The app-wide client (created on first use so tests can install their own first). */
export function api(): ApiClient {
  client ??= createApiClient(pickTransport());
  return client;
}

export function setApiClient(next: ApiClient): void {
  client = next;
}
