import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CallReply } from '../../../shared/api';
import type { EncoderRecord } from '../../../shared/schemas/encoders';
import { api } from '../api/client';

export type EncoderKnn = CallReply<'encoders:knn'>;

/** External ONNX encoders registered in the workspace, and their kNN accuracy on datasets. */
export const useEncodersStore = defineStore('encoders', () => {
  const encoders = ref<EncoderRecord[]>([]);
  const busy = ref(false);
  const error = ref<string | null>(null);
  /** kNN results by encoder id (the latest evaluation of each). */
  const knn = ref<Record<number, EncoderKnn>>({});

  async function refresh(): Promise<void> {
    try {
      encoders.value = await api().call('encoders:list', {});
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  async function run<T>(work: () => Promise<T>): Promise<T | null> {
    busy.value = true;
    error.value = null;
    try {
      return await work();
    } catch (err) {
      error.value = (err as Error).message;
      return null;
    } finally {
      busy.value = false;
    }
  }

  async function importFile(file: string, name: string): Promise<void> {
    const record = await run(() => api().call('encoders:import', { file, name }));
    if (record) await refresh();
  }

  async function evaluate(encoderId: number, datasetId: number): Promise<void> {
    const reply = await run(() => api().call('encoders:knn', { encoderId, datasetId }));
    if (reply) knn.value = { ...knn.value, [encoderId]: reply };
  }

  return { encoders, busy, error, knn, refresh, importFile, evaluate };
});
