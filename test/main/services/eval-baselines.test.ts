/** runs:evaluate beside its references: the same protocol on the random-init encoder and on raw pixels (issue 19). */
import { describe, expect, it } from 'vitest';
import { callHandlers } from '../../../src/main/services/index';
import { createDispatch } from '../../../src/main/services/dispatch';
import { useTestWorkspace } from '../../helpers/workspace';

const workspace = useTestWorkspace();

async function trainedRun(): Promise<number> {
  const { id } = workspace.services.experiments.create({ datasetId: 1, method: 'simclr', batchSize: 4, epochs: 1, name: `eval ${Math.random()}` });
  const run = workspace.services.runs.start(id);
  await run.done;
  return run.runId;
}

interface Evaluated {
  ok: true;
  result: { runId: number; accuracy: number; baselines: { randomInit: number; rawPixels: number } | null };
}

describe('runs:evaluate references', () => {
  it('scores linear probe and fine-tune on random init and raw pixels once, then from the cache', async () => {
    const dispatch = createDispatch(callHandlers(workspace.services));
    const runId = await trainedRun();
    const engine = workspace.services.ctx.engine;
    const calls: { method: string; rawPixels: boolean; checkpoint: boolean }[] = [];
    const original = engine.call.bind(engine);
    engine.call = ((method: string, params: { rawPixels?: boolean; model?: { checkpoint?: string } }, ...rest: unknown[]) => {
      calls.push({ method, rawPixels: params.rawPixels === true, checkpoint: params.model?.checkpoint !== undefined });
      return (original as (m: string, ...r: unknown[]) => unknown)(method, params, ...rest);
    }) as typeof engine.call;
    try {
      const linear = (await dispatch('runs:evaluate', { runId, protocol: 'linear', epochs: 20 })) as Evaluated;
      expect(linear.ok).toBe(true);
      // The run's own probe (its checkpoint), then random init (no checkpoint), then raw pixels.
      expect(calls).toEqual([
        { method: 'evalLinear', rawPixels: false, checkpoint: true },
        { method: 'evalLinear', rawPixels: false, checkpoint: false },
        { method: 'evalLinear', rawPixels: true, checkpoint: false },
      ]);
      const { randomInit, rawPixels } = linear.result.baselines!;
      for (const v of [linear.result.accuracy, randomInit, rawPixels]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      // The tiny dataset's two classes differ in colour: logistic regression on pixels separates them.
      expect(rawPixels).toBeGreaterThan(0.75);

      const second = await trainedRun();
      calls.length = 0;
      const again = (await dispatch('runs:evaluate', { runId: second, protocol: 'linear', epochs: 20 })) as Evaluated;
      expect(again.result.baselines).toEqual(linear.result.baselines);
      expect(calls.map((c) => c.method)).toEqual(['evalLinear']);

      calls.length = 0;
      const finetune = (await dispatch('runs:evaluate', { runId, protocol: 'finetune', labelFraction: 1, epochs: 2 })) as Evaluated;
      expect(calls.map((c) => [c.method, c.rawPixels, c.checkpoint])).toEqual([
        ['evalFinetune', false, true],
        ['evalFinetune', false, false],
        ['evalFinetune', true, false],
      ]);
      expect(finetune.result.baselines!.rawPixels).toBeGreaterThan(0.5);
      // Another label fraction is another reference.
      calls.length = 0;
      const none = (await dispatch('runs:evaluate', { runId, protocol: 'finetune', labelFraction: 0.5, epochs: 2, baselines: false })) as Evaluated;
      expect(none.result.baselines).toBeNull();
      expect(calls.map((c) => c.method)).toEqual(['evalFinetune']);
    } finally {
      engine.call = original;
    }
  });
});
