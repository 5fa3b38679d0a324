import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CallReply } from '../../../shared/api';
import type { ExportReply, ExportRequest } from '../../../shared/schemas/exports';
import { api } from '../api/client';

export type ExportRecord = CallReply<'exports:list'>[number];

/** Exports of trained runs: the one in progress, its result (where the files went) and the history. */
export const useExportsStore = defineStore('exports', () => {
  const history = ref<ExportRecord[]>([]);
  const running = ref(false);
  const last = ref<ExportReply | null>(null);
  const error = ref<string | null>(null);

  async function refresh(): Promise<void> {
    try {
      history.value = await api().call('exports:list', {});
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  async function create(request: ExportRequest): Promise<void> {
    running.value = true;
    error.value = null;
    last.value = null;
    try {
      last.value = await api().call('exports:create', request);
      await refresh();
    } catch (err) {
      error.value = (err as Error).message;
    } finally {
      running.value = false;
    }
  }

  return { history, running, last, error, refresh, create };
});
