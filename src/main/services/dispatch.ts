/**
 * The boundary every transport goes through: unknown channel → UNKNOWN_CHANNEL, bad payload →
 * INVALID_INPUT (same text on every front), anything thrown → the `{ code, message, details }` shape.
 */
import { CALLS, isCallChannel, type Outcome } from '../../shared/api';
import { WorkbenchError, toErrorShape } from '../../shared/errors';
import { parseOrThrow } from '../../shared/validate';
import type { CallContext, CallHandlers } from './index';

export type CallOutcome = Outcome<unknown>;

export type Dispatch = (channel: unknown, payload: unknown, ctx?: CallContext) => Promise<CallOutcome>;

export function createDispatch(handlers: CallHandlers): Dispatch {
  return async (channel, payload, ctx = {}) => {
    try {
      if (!isCallChannel(channel)) {
        throw new WorkbenchError('UNKNOWN_CHANNEL', `unknown call "${String(channel)}"`);
      }
      const spec = CALLS[channel];
      const params = parseOrThrow(spec.request, payload ?? {}, `${channel} request`);
      const handler = handlers[channel] as (p: unknown, c: CallContext) => unknown;
      const result = await handler(params, ctx);
      return { ok: true, result };
    } catch (err) {
      return { ok: false, error: toErrorShape(err) };
    }
  };
}
