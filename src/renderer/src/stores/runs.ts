import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type {
  RunEpochEvent,
  RunProgressEvent,
  RunStateEvent,
  Run,
  RunStatus,
} from '../../../shared/schemas/runs';
import type { CallReply } from '../../../shared/api';
import type { RunBaselines } from '../../../shared/schemas/run-records';
import { DEFAULT_CHART_VIEW, type ChartView } from '../charts/chart-view';
import { api } from '../api/client';
import {
  appendEpoch,
  appendProgress,
  fromReply,
  mergeSeries,
  RUN_METRIC_NAMES,
  type MetricSeries,
} from '../metrics/series';

export type PreviewSummary = CallReply<'previews:list'>[number];

/** Statuses in which each control makes sense. */
export const CAN_PAUSE: readonly RunStatus[] = ['queued', 'running'];
/**
 * A cancelled run is finished by choice: the UI offers Resume for paused (and interrupted) and
 * failed runs only; Pause is the stop to continue later. (`cwb train --resume` still continues a
 * run stopped with Ctrl-C, which the CLI records as cancelled.)
 */
export const CAN_RESUME: readonly RunStatus[] = ['paused', 'failed'];
export const CAN_CANCEL: readonly RunStatus[] = ['queued', 'running', 'paused'];

/**
 * Training runs: the list, the selected run's live metrics, progress and pretext previews, the runs
 * being compared, and the pause / resume / cancel controls. Metric arrays grow in place and are not
 * deep-reactive (thousands of points); `revision` ticks when any of them grew, for the live charts.
 */
export const useRunsStore = defineStore('runs', () => {
  const runs = ref<Run[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const selectedId = ref<number | null>(null);
  /** The last `runs:progress` event of each run (step, epoch, ETA…). */
  const progress = ref<Record<number, RunProgressEvent>>({});
  /** Ticks whenever a loaded metric series grew or was (re)loaded. */
  const revision = ref(0);
  const previews = ref<PreviewSummary[]>([]);
  const compareIds = ref<number[]>([]);
  /** An action (pause/resume/cancel) in flight, by run id, to disable its buttons. */
  const busy = ref<Record<number, boolean>>({});
  const series = new Map<number, MetricSeries>();
  /** How the charts read (x axis, smoothing, log y): one setting for every chart, kept across runs. */
  const chartView = ref<ChartView>({ ...DEFAULT_CHART_VIEW });
  /** kNN reference lines by run id (computed once per dataset × encoder on the main side). */
  const baselines = ref<Record<number, RunBaselines>>({});

  async function loadBaselines(runId: number): Promise<void> {
    if (baselines.value[runId]) return;
    try {
      baselines.value[runId] = await api().call('runs:baselines', { runId });
    } catch {
      // A dataset without labels or a run whose dataset is gone: no reference lines, not an error.
    }
  }

  const selected = computed(() => runs.value.find((r) => r.id === selectedId.value) ?? null);

  function fail(err: unknown): void {
    error.value = (err as Error).message;
  }

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      runs.value = await api().call('runs:list', {});
      error.value = null;
    } catch (err) {
      fail(err);
    } finally {
      loading.value = false;
    }
  }

  /** Fetch one run again (status, backend, summary) after an event or an action. */
  async function reload(runId: number): Promise<void> {
    try {
      const run = await api().call('runs:get', { runId });
      const i = runs.value.findIndex((r) => r.id === runId);
      if (i >= 0) runs.value.splice(i, 1, run);
      else runs.value.push(run);
    } catch (err) {
      fail(err);
    }
  }

  /** Load a run's stored series; events arriving meanwhile are kept and merged after. */
  async function loadMetrics(runId: number): Promise<void> {
    const live: MetricSeries = {};
    series.set(runId, live);
    try {
      const reply = await api().call('runs:metrics', { runId, names: [...RUN_METRIC_NAMES] });
      series.set(runId, mergeSeries(fromReply(reply), live));
      revision.value += 1;
    } catch (err) {
      fail(err);
    }
  }

  async function loadPreviews(runId: number): Promise<void> {
    try {
      const list = await api().call('previews:list', { runId });
      if (selectedId.value === runId) previews.value = list;
    } catch (err) {
      fail(err);
    }
  }

  async function select(runId: number): Promise<void> {
    selectedId.value = runId;
    previews.value = [];
    await Promise.all([loadMetrics(runId), loadPreviews(runId)]);
    void loadBaselines(runId);
  }

  /** The series of a run (empty until loaded). */
  function metricsOf(runId: number): MetricSeries {
    return series.get(runId) ?? {};
  }

  function setStatus(runId: number, status: RunStatus): void {
    const run = runs.value.find((r) => r.id === runId);
    if (run && run.status !== status) run.status = status;
  }

  function onProgress(event: RunProgressEvent): void {
    // The pretext preview is recorded just before the first step: fetch it when training shows up.
    if (
      event.runId === selectedId.value &&
      !progress.value[event.runId] &&
      previews.value.length === 0
    )
      void loadPreviews(event.runId);
    const first = !progress.value[event.runId];
    progress.value[event.runId] = event;
    // The backend is known once training started: fetch the run again on its first step.
    if (first || !runs.value.some((r) => r.id === event.runId)) void reload(event.runId);
    setStatus(event.runId, 'running');
    const target = series.get(event.runId);
    if (target) {
      appendProgress(target, event);
      revision.value += 1;
    }
  }

  function onEpoch(event: RunEpochEvent): void {
    const target = series.get(event.runId);
    if (target) {
      appendEpoch(target, event);
      revision.value += 1;
    }
  }

  function onState(event: RunStateEvent): void {
    setStatus(event.runId, event.status);
    if (event.status !== 'running') delete progress.value[event.runId];
    void reload(event.runId);
  }

  async function control(
    runId: number,
    action: 'runs:pause' | 'runs:resume' | 'runs:cancel',
  ): Promise<void> {
    busy.value[runId] = true;
    try {
      await api().call(action, { runId });
      error.value = null;
      await reload(runId);
    } catch (err) {
      fail(err);
    } finally {
      busy.value[runId] = false;
    }
  }

  const pause = (runId: number) => control(runId, 'runs:pause');
  const resume = (runId: number) => control(runId, 'runs:resume');
  const cancel = (runId: number) => control(runId, 'runs:cancel');

  /** Rename, tag or annotate a run; the list shows the reply. */
  async function annotate(runId: number, fields: { name?: string | null; tags?: string[]; note?: string }): Promise<boolean> {
    try {
      const run = await api().call('runs:annotate', { runId, ...fields });
      const i = runs.value.findIndex((r) => r.id === runId);
      if (i >= 0) runs.value.splice(i, 1, run);
      error.value = null;
      return true;
    } catch (err) {
      fail(err);
      return false;
    }
  }

  /** Delete a run (not while it runs) with its checkpoint files; the selection moves to the newest run left. */
  async function remove(runId: number): Promise<boolean> {
    busy.value[runId] = true;
    try {
      await api().call('runs:delete', { runId });
      runs.value = runs.value.filter((r) => r.id !== runId);
      compareIds.value = compareIds.value.filter((id) => id !== runId);
      series.delete(runId);
      if (selectedId.value === runId) selectedId.value = runs.value.at(-1)?.id ?? null;
      if (selectedId.value !== null) await select(selectedId.value);
      error.value = null;
      return true;
    } catch (err) {
      fail(err);
      return false;
    } finally {
      busy.value[runId] = false;
    }
  }

  async function toggleCompare(runId: number): Promise<void> {
    if (compareIds.value.includes(runId)) {
      compareIds.value = compareIds.value.filter((id) => id !== runId);
      return;
    }
    compareIds.value = [...compareIds.value, runId];
    if (!series.has(runId)) await loadMetrics(runId);
  }

  return {
    runs,
    loading,
    error,
    selectedId,
    selected,
    progress,
    revision,
    previews,
    compareIds,
    busy,
    refresh,
    reload,
    select,
    loadMetrics,
    metricsOf,
    onProgress,
    onEpoch,
    onState,
    pause,
    resume,
    cancel,
    annotate,
    remove,
    chartView,
    baselines,
    toggleCompare,
  };
});
