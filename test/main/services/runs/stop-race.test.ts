/**
 * A run stopped in the short window between its "running" event and the engine taking the call is
 * recorded as stopped (cancelled or paused, as asked), not failed with the error "cancelled".
 */
import { describe, expect, it } from 'vitest';
import type { EventSink } from '../../../../src/main/services/context';
import { useTestWorkspace } from '../../../helpers/workspace';

const workspace = useTestWorkspace();

describe('a stop right after a run starts', () => {
  it.each(['cancelled', 'paused'] as const)('ends the run %s, not failed', async (as) => {
    const services = workspace.services;
    const { id } = services.experiments.create({ datasetId: 1, method: 'simclr', epochs: 1, batchSize: 4 });
    const ctx = services.ctx as { emit: EventSink };
    const original = ctx.emit;
    let runId = -1;
    ctx.emit = ((name: string, payload: unknown) => {
      original(name as never, payload as never);
      const state = payload as { runId?: number; status?: string };
      if (name === 'runs:state' && state.runId === runId && state.status === 'running') services.runs.stop(runId, as);
    }) as EventSink;
    try {
      const run = services.runs.start(id);
      runId = run.runId;
      await expect(run.done).rejects.toThrow(/cancelled|stopped/);
      expect(services.runs.get(run.runId).status).toBe(as);
    } finally {
      ctx.emit = original;
    }
  });
});
