import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CallReply } from '../../../shared/api';
import type { ExportReply, ExportRequest } from '../../../shared/schemas/exports';
import { api } from '../api/client';

/**
 * The error text for the Export view: a non-empty output folder is replaced with the view's
 * checkbox, not with the CLI's `--force` that the main process's message names.
 */
export function exportErrorText(err: unknown): string {
  const details = (err as { details?: { reason?: string; path?: string } }).details;
  if (details?.reason === 'output-not-empty') {
    return `output folder "${details.path ?? ''}" is not empty; choose another folder or tick “replace the folder if it is not empty”`;
  }
  return (err as Error).message;
}

export type ExportRecord = CallReply<'exports:list'>[number];
export type ExperimentSummary = CallReply<'experiments:list'>[number];

/**
 * Exports of trained runs (and PyTorch projects of experiments, which need no run): the one in
 * progress, its result (where the files went), the history and the experiments one can export.
 */
export const useExportsStore = defineStore('exports', () => {
  const history = ref<ExportRecord[]>([]);
  const experiments = ref<ExperimentSummary[]>([]);
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

  /** Saved experiments, for the formats that export an experiment rather than a run's weights. */
  async function refreshExperiments(): Promise<void> {
    try {
      experiments.value = await api().call('experiments:list', {});
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
      error.value = exportErrorText(err);
    } finally {
      running.value = false;
    }
  }

  return { history, experiments, running, last, error, refresh, refreshExperiments, create };
});
