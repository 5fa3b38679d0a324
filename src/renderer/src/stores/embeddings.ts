import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CallReply } from '../../../shared/api';
import type { Projection } from '../../../shared/schemas/embeddings';
import { api } from '../api/client';
import type { ColourBy } from '../charts/embeddings';

export type Neighbour = CallReply<'embeddings:neighbours'>[number];
export type Algorithm = 'pca' | 'umap';

/** The thumbnails call takes at most this many ids. */
const THUMBNAIL_BATCH = 500;

/**
 * A run's embeddings projected to 2-D, the thumbnails of the projected images, and the nearest
 * neighbours (in the full feature space) of the image the user clicked.
 */
export const useEmbeddingsStore = defineStore('embeddings', () => {
  const runId = ref<number | null>(null);
  const algorithm = ref<Algorithm>('pca');
  const limit = ref(1000);
  const projection = ref<Projection | null>(null);
  const projecting = ref(false);
  const thumbnails = ref<Record<number, string>>({});
  const selected = ref<number | null>(null);
  const neighbours = ref<Neighbour[]>([]);
  const error = ref<string | null>(null);
  const colourBy = ref<ColourBy>('label');
  /** Images picked with the lasso, in series order. */
  const lassoed = ref<number[]>([]);
  let sequence = 0;

  async function loadThumbnails(ids: readonly number[]): Promise<void> {
    const missing = ids.filter((id) => !(id in thumbnails.value));
    for (let i = 0; i < missing.length; i += THUMBNAIL_BATCH) {
      const batch = await api().call('datasets:thumbnails', {
        imageIds: missing.slice(i, i + THUMBNAIL_BATCH),
        side: 48,
      });
      thumbnails.value = {
        ...thumbnails.value,
        ...Object.fromEntries(batch.map((t) => [t.imageId, t.url])),
      };
    }
  }

  async function project(): Promise<void> {
    if (runId.value === null) return;
    const id = ++sequence;
    projecting.value = true;
    selected.value = null;
    neighbours.value = [];
    lassoed.value = [];
    try {
      const reply = await api().call('embeddings:project', {
        runId: runId.value,
        algorithm: algorithm.value,
        limit: limit.value,
      });
      if (id !== sequence) return;
      projection.value = reply;
      // A colouring the new projection cannot show falls back to the label.
      if (
        (colourBy.value === 'prototype' && reply.prototypeEpoch == null) ||
        (colourBy.value === 'knn' && !reply.knn)
      )
        colourBy.value = 'label';
      error.value = null;
      await loadThumbnails(reply.points.map((p) => p.imageId));
    } catch (err) {
      if (id === sequence) error.value = (err as Error).message;
    } finally {
      if (id === sequence) projecting.value = false;
    }
  }

  async function select(imageId: number): Promise<void> {
    if (!projection.value) return;
    selected.value = imageId;
    try {
      const reply = await api().call('embeddings:neighbours', {
        projectionId: projection.value.projectionId,
        imageId,
        k: 8,
      });
      if (selected.value === imageId) neighbours.value = reply;
      await loadThumbnails(reply.map((n) => n.imageId));
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  function setLassoed(imageIds: readonly number[]): void {
    lassoed.value = [...imageIds];
  }

  return {
    runId,
    colourBy,
    lassoed,
    setLassoed,
    algorithm,
    limit,
    projection,
    projecting,
    thumbnails,
    selected,
    neighbours,
    error,
    project,
    select,
  };
});
