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
import type { CallReply } from '../../../shared/api';
import { api } from '../api/client';

export type DatasetImage = CallReply<'datasets:images'>['images'][number];
/** Images per page of the thumbnail grid. */
export const IMAGES_PAGE = 48;

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
  /** One page of the selected dataset's images, and thumbnails by image id (may be missing). */
  const images = ref<{ total: number; offset: number; items: DatasetImage[] }>({
    total: 0,
    offset: 0,
    items: [],
  });
  const thumbnails = ref<Record<number, string>>({});

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
    images.value = { total: 0, offset: 0, items: [] };
    try {
      [balance.value, skipped.value] = await Promise.all([
        api().call('datasets:class-balance', { datasetId: id }),
        api().call('datasets:skipped', { datasetId: id }),
      ]);
    } catch (err) {
      error.value = (err as Error).message;
    }
    await loadImages(0);
  }

  /** A page of the selected dataset's images, then their thumbnails (the list stands without them). */
  async function loadImages(offset: number): Promise<void> {
    const datasetId = selectedId.value;
    if (datasetId === null) return;
    try {
      const page = await api().call('datasets:images', { datasetId, offset, limit: IMAGES_PAGE });
      if (selectedId.value !== datasetId) return;
      images.value = { total: page.total, offset, items: page.images };
      const missing = page.images.map((i) => i.id).filter((id) => !(id in thumbnails.value));
      if (missing.length === 0) return;
      const thumbs = await api().call('datasets:thumbnails', { imageIds: missing, side: 64 });
      thumbnails.value = {
        ...thumbnails.value,
        ...Object.fromEntries(thumbs.map((t) => [t.imageId, t.url])),
      };
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  /**
   * One image at the pixels training sees (the cache's side, at most 256 px), for the lightbox;
   * null (with the error shown) when it cannot be drawn.
   */
  async function largeThumbnail(imageId: number): Promise<string | null> {
    const side = Math.min(256, Math.max(16, selected.value?.imageSize ?? 64));
    try {
      const [thumb] = await api().call('datasets:thumbnails', { imageIds: [imageId], side });
      if (!thumb) throw new Error(`image ${imageId} is not in the tensor cache`);
      return thumb.url;
    } catch (err) {
      error.value = (err as Error).message;
      return null;
    }
  }

  /** Run an import (of a folder or of the demo), following its progress events, then show it. */
  async function runImport(dir: string, start: () => Promise<ImportDatasetReply>): Promise<void> {
    error.value = null;
    progress.value = { phase: 'scan', done: 0, total: 0, dir };
    try {
      lastImport.value = await start();
      await refresh();
      await select(lastImport.value.datasetId);
    } catch (err) {
      error.value = (err as Error).message;
    } finally {
      progress.value = null;
    }
  }

  function importFolder(request: ImportDatasetRequest): Promise<void> {
    return runImport(request.dir, () => api().call('datasets:import', request));
  }

  /** Generate the demo dataset (colour shapes) in the workspace and import it. */
  function importDemo(): Promise<void> {
    return runImport('demo', () => api().call('datasets:demo', {}));
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
    images,
    thumbnails,
    refresh,
    select,
    loadImages,
    largeThumbnail,
    importFolder,
    importDemo,
    onProgress,
  };
});
