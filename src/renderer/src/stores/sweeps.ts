import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SweepConfigInput, SweepRecord } from '../../../shared/schemas/sweep';
import { api } from '../api/client';

/** Sweeps of the workspace (queued, running, finished) and the one the sweep page shows. */
export const useSweepsStore = defineStore('sweeps', () => {
  const sweeps = ref<SweepRecord[]>([]);
  const selectedId = ref<number | null>(null);
  const error = ref<string | null>(null);
  const busy = ref(false);

  const selected = computed(() => sweeps.value.find((s) => s.sweepId === selectedId.value) ?? null);
  /** Whether any sweep still has runs to go (the page polls while so). */
  const running = computed(() => sweeps.value.some((s) => s.status === 'running'));

  async function refresh(): Promise<void> {
    try {
      sweeps.value = await api().call('sweeps:list', {});
      if (selectedId.value === null) selectedId.value = sweeps.value.at(-1)?.sweepId ?? null;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  /** Validate and queue a sweep; selects it. Returns false (with `error` set) when it is refused. */
  async function start(config: SweepConfigInput): Promise<boolean> {
    busy.value = true;
    error.value = null;
    try {
      const { sweepId } = await api().call('sweeps:start', config);
      selectedId.value = sweepId;
      await refresh();
      return true;
    } catch (err) {
      error.value = (err as Error).message;
      return false;
    } finally {
      busy.value = false;
    }
  }

  function select(sweepId: number): void {
    selectedId.value = sweepId;
  }

  return { sweeps, selectedId, selected, running, error, busy, refresh, start, select };
});
