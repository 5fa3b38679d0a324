import { defineStore } from 'pinia';
import { computed, ref, watch, type Ref } from 'vue';
import type { MethodName } from '../../../shared/schemas/method';
import { api } from '../api/client';
import {
  GRADIENT_CACHE_METHODS,
  type Estimate,
  type ExperimentInput,
} from '../../../shared/schemas/experiment';
import {
  checkDraft,
  defaultsOf,
  emptyDraft,
  methodParamsFromPreset,
  optimizerFields,
  scheduleFields,
  type ExperimentDraft,
} from '../forms/experiment-draft';
import type { TrainingViewGroup } from '../../../shared/schemas/experiment-warnings';
import { useAugmentStore } from './augment';
import { useDatasetsStore } from './datasets';
import { usePresetsStore } from './presets';

/**
 * The experiment designer: the draft being edited, its live validation against the shared schemas,
 * and starting it as a run (or saving it without one). The draft survives leaving the view (a store, not component state).
 */
export const useExperimentsStore = defineStore('experiments', () => {
  const presets = usePresetsStore();
  const augment = useAugmentStore();
  const draft = ref<ExperimentDraft>(emptyDraft());
  const starting = ref(false);
  const error = ref<string | null>(null);

  const methodPreset = computed(() => presets.methodConfig(draft.value.method));
  const datasets = useDatasetsStore();
  const check = computed(() => {
    const result = checkDraft(draft.value, methodPreset.value, augment.validSpec);
    // The trainer refuses a batch larger than the dataset; say so before the round trip.
    const dataset = datasets.datasets.find((d) => d.id === draft.value.datasetId);
    const batch = draft.value.batchSize;
    if (dataset && typeof batch === 'number' && batch > dataset.numImages) {
      (result.issues['batchSize'] ??= []).push(
        `batch size is larger than the dataset (${dataset.numImages} images)`,
      );
      return { ...result, ok: false };
    }
    return result;
  });

  /** Re-seed the method's hyper-parameters from its preset whenever the method (or the presets) change. */
  watch(
    methodPreset,
    (preset) => {
      draft.value.methodParams = methodParamsFromPreset(draft.value.method, preset);
    },
    { immediate: true },
  );

  function setMethod(method: MethodName): void {
    draft.value.method = method;
    // Gradient caching is an end-to-end (SimCLR) option; the field disappears for other methods.
    if (!GRADIENT_CACHE_METHODS.includes(method)) draft.value.gradientCacheChunk = '';
  }

  function setOptimizer(name: string): void {
    const keep = { learningRate: draft.value.optimizer['learningRate'] };
    draft.value.optimizer = { name, ...defaultsOf(optimizerFields(name), keep) };
  }

  function setSchedule(kind: string): void {
    draft.value.schedule = { kind, ...defaultsOf(scheduleFields(kind)) };
  }

  /**
   * One engine call on the valid draft with `busy` set while it runs: the reply, or null when the
   * draft is invalid or the call was refused (its message goes to `error`).
   */
  async function callWithDraft<T>(
    busy: Ref<boolean>,
    call: (input: ExperimentInput) => Promise<T>,
  ): Promise<T | null> {
    if (!check.value.ok) return null;
    busy.value = true;
    error.value = null;
    try {
      return await call(check.value.input);
    } catch (err) {
      error.value = (err as Error).message;
      return null;
    } finally {
      busy.value = false;
    }
  }

  /** Validate and start; resolves to the new run id, or null when the draft is invalid or the call failed. */
  async function start(): Promise<number | null> {
    const reply = await callWithDraft(starting, (input) => api().call('runs:start', input));
    return reply?.runId ?? null;
  }

  /** The experiment "Save without running" kept last (for the confirmation), and whether a save is under way. */
  const saved = ref<number | null>(null);
  const saving = ref(false);

  /**
   * Validate and save the draft as an experiment without starting a run — to export it (Export →
   * pytorch-project) and train elsewhere. Resolves to the experiment id, or null when it was refused.
   */
  async function save(): Promise<number | null> {
    if (check.value.ok) saved.value = null;
    const reply = await callWithDraft(saving, (input) => api().call('experiments:save', input));
    if (reply) saved.value = reply.id;
    return reply?.id ?? null;
  }

  /** Seconds per epoch and memory of the draft, measured with a few real steps in the engine. */
  const estimate = ref<Estimate | null>(null);
  const estimating = ref(false);
  async function runEstimate(): Promise<void> {
    const reply = await callWithDraft(estimating, (input) =>
      api().call('experiments:estimate', input),
    );
    if (reply) estimate.value = reply;
  }

  /**
   * Warnings about the valid draft against its dataset (field path → messages) and the views
   * training will build, both from `experiments:warnings` a moment after the last edit. A reply to
   * an older draft is dropped.
   */
  const warnings = ref<Record<string, string[]>>({});
  const trainingViews = ref<TrainingViewGroup[]>([]);
  let checkSeq = 0;
  let checkTimer: ReturnType<typeof setTimeout> | undefined;
  async function refreshWarnings(input: ExperimentInput, seq: number): Promise<void> {
    try {
      const reply = await api().call('experiments:warnings', input);
      if (seq !== checkSeq) return;
      const byField: Record<string, string[]> = {};
      for (const w of reply.warnings) (byField[w.field] ??= []).push(w.message);
      warnings.value = byField;
      trainingViews.value = reply.views;
    } catch {
      // A refusal shows when the draft is started or saved; warnings are advice only.
      if (seq === checkSeq) warnings.value = {};
    }
  }
  const draftKey = computed(() => JSON.stringify(check.value.ok ? check.value.input : null));
  watch(draftKey, () => {
    const seq = ++checkSeq;
    // An estimate or a "Saved" note describes the draft it was made for, not this one.
    estimate.value = null;
    saved.value = null;
    if (checkTimer !== undefined) clearTimeout(checkTimer);
    if (!check.value.ok) {
      warnings.value = {};
      trainingViews.value = [];
      return;
    }
    const input = check.value.input;
    checkTimer = setTimeout(() => void refreshWarnings(input, seq), 250);
  });

  function reset(): void {
    draft.value = emptyDraft();
    draft.value.methodParams = methodParamsFromPreset(draft.value.method, methodPreset.value);
  }

  return {
    draft,
    starting,
    error,
    methodPreset,
    check,
    setMethod,
    setOptimizer,
    setSchedule,
    start,
    saved,
    saving,
    save,
    estimate,
    estimating,
    runEstimate,
    reset,
    warnings,
    trainingViews,
  };
});
