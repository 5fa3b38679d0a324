import type { CallChannel, CallReply, CallRequest } from '../../src/shared/api';
import type { EventChannel, EventPayload } from '../../src/shared/events';
import { WorkbenchError } from '../../src/shared/errors';
import type { ApiClient } from '../../src/renderer/src/api/client';

type Replies = {
  [C in CallChannel]?: (request: CallRequest<C>) => CallReply<C> | Promise<CallReply<C>>;
};

/** An in-memory API client: answers from `replies`, records calls, lets a test emit events. */
export function fakeApi(replies: Replies) {
  const calls: { channel: string; request: unknown }[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const client: ApiClient = {
    transport: 'websocket',
    async call(channel, request) {
      calls.push({ channel, request });
      const reply = replies[channel] as ((r: unknown) => unknown) | undefined;
      if (!reply) throw new WorkbenchError('UNAVAILABLE', `no fake reply for ${channel}`);
      return reply(request) as never;
    },
    on(channel, callback) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(callback as (p: unknown) => void);
      return () => set.delete(callback as (p: unknown) => void);
    },
  };
  return {
    client,
    calls,
    emit<E extends EventChannel>(channel: E, payload: EventPayload<E>) {
      for (const cb of listeners.get(channel) ?? []) cb(payload);
    },
  };
}
