import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type {
  ClassBalance,
  Dataset,
  ImportDatasetReply,
  ImportDatasetRequest,
  ImportProgressEvent,
  SkippedFile,
} from '../../../shared/schemas/datasets';
import { api } from '../api/client';

/** Imported datasets, the selected one's details, and the import in progress. */
export const useDatasetsStore = defineStore('datasets', () => {
  const datasets = ref<Dataset[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const selectedId = ref<number | null>(null);
  const balance = ref<ClassBalance>([]);
  const skipped = ref<SkippedFile[]>([]);
  /** Progress of the running import, null when none runs. */
  const progress = ref<ImportProgressEvent | null>(null);
  const lastImport = ref<ImportDatasetReply | null>(null);

  const selected = computed(() => datasets.value.find((d) => d.id === selectedId.value) ?? null);

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      datasets.value = await api().call('datasets:list', {});
      error.value = null;
    } catch (err) {
      error.value = (err as Error).message;
    } finally {
      loading.value = false;
    }
  }

  async function select(id: number): Promise<void> {
    selectedId.value = id;
    try {
      [balance.value, skipped.value] = await Promise.all([
        api().call('datasets:class-balance', { datasetId: id }),
        api().call('datasets:skipped', { datasetId: id }),
      ]);
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  async function importFolder(request: ImportDatasetRequest): Promise<void> {
    error.value = null;
    progress.value = { phase: 'scan', done: 0, total: 0, dir: request.dir };
    try {
      lastImport.value = await api().call('datasets:import', request);
      await refresh();
      await select(lastImport.value.datasetId);
    } catch (err) {
      error.value = (err as Error).message;
    } finally {
      progress.value = null;
    }
  }

  function onProgress(event: ImportProgressEvent): void {
    if (progress.value) progress.value = event;
  }

  return {
    datasets,
    loading,
    error,
    selectedId,
    selected,
    balance,
    skipped,
    progress,
    lastImport,
    refresh,
    select,
    importFolder,
    onProgress,
  };
});
