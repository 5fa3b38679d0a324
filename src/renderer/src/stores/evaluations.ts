import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CallReply } from '../../../shared/api';
import { api } from '../api/client';

export type Evaluation = CallReply<'runs:evaluate'>;
export type Reconstruction = CallReply<'runs:reconstruction'>;

/** Linear-probe and fine-tune scores of runs, computed on demand (kNN comes with the run itself), and autoencoder reconstructions. */
export const useEvaluationsStore = defineStore('evaluations', () => {
  /** By run id: the latest linear and fine-tune result. */
  const results = ref<Record<number, { linear?: Evaluation; finetune?: Evaluation }>>({});
  const busy = ref<Record<number, boolean>>({});
  const error = ref<string | null>(null);

  async function evaluate(
    runId: number,
    protocol: 'linear' | 'finetune',
    labelFraction = 0.1,
  ): Promise<void> {
    busy.value = { ...busy.value, [runId]: true };
    error.value = null;
    try {
      const reply = await api().call('runs:evaluate', { runId, protocol, labelFraction });
      results.value = { ...results.value, [runId]: { ...results.value[runId], [protocol]: reply } };
    } catch (err) {
      error.value = (err as Error).message;
    } finally {
      busy.value = { ...busy.value, [runId]: false };
    }
  }

  /** The autoencoder's input / corrupted / output images of a run, or null (with `error`) on failure. */
  async function reconstruction(runId: number): Promise<Reconstruction | null> {
    try {
      return await api().call('runs:reconstruction', { runId });
    } catch (err) {
      error.value = (err as Error).message;
      return null;
    }
  }

  return { results, busy, error, evaluate, reconstruction };
});
