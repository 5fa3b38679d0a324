import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CallReply } from '../../../shared/api';
import type { PrototypeSummary } from '../../../shared/schemas/prototypes';
import { api } from '../api/client';

export type GalleryImage = CallReply<'prototypes:gallery'>[number];

/**
 * SwAV prototypes of one run: usage per epoch, entropy, prototype × class counts, and the gallery of
 * the images a chosen prototype took in a chosen epoch.
 */
export const usePrototypesStore = defineStore('prototypes', () => {
  const runId = ref<number | null>(null);
  const summary = ref<PrototypeSummary | null>(null);
  const epoch = ref<number | null>(null);
  const prototype = ref<number | null>(null);
  const gallery = ref<GalleryImage[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);

  const usage = computed(
    () => summary.value?.usage.find((u) => u.epoch === epoch.value)?.counts ?? [],
  );

  async function load(id: number): Promise<void> {
    runId.value = id;
    summary.value = null;
    prototype.value = null;
    gallery.value = [];
    loading.value = true;
    try {
      const reply = await api().call('prototypes:summary', { runId: id });
      if (runId.value !== id) return;
      summary.value = reply;
      epoch.value = reply.epochs.at(-1) ?? null;
      error.value = null;
    } catch (err) {
      error.value = (err as Error).message;
    } finally {
      loading.value = false;
    }
  }

  async function choose(nextPrototype: number, nextEpoch = epoch.value): Promise<void> {
    if (runId.value === null || nextEpoch === null) return;
    prototype.value = nextPrototype;
    epoch.value = nextEpoch;
    try {
      const reply = await api().call('prototypes:gallery', {
        runId: runId.value,
        epoch: nextEpoch,
        prototype: nextPrototype,
        limit: 48,
      });
      if (prototype.value === nextPrototype && epoch.value === nextEpoch) gallery.value = reply;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  function setEpoch(next: number): void {
    epoch.value = next;
    if (prototype.value !== null) void choose(prototype.value, next);
  }

  return {
    runId,
    summary,
    epoch,
    prototype,
    gallery,
    loading,
    error,
    usage,
    load,
    choose,
    setEpoch,
  };
});
