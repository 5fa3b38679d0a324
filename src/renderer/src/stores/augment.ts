import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import {
  AugmentSpec,
  type AugmentSpecInput,
  type OpSpecInput,
} from '../../../shared/schemas/augment';
import type { CallReply } from '../../../shared/api';
import { api } from '../api/client';
import {
  addOp,
  cloneSpec,
  moveOp,
  opsAt,
  removeOp,
  replaceOp,
  withOps,
  type OpName,
} from '../forms/augment-pipelines';
import { issuesByPath } from '../forms/zod-issues';

export type PreviewReply = CallReply<'previews:create'>;

/**
 * The augmentation tuner: the spec being edited (from a preset, then op by op), the preview settings
 * (dataset, seed, pairs, step by step) and the latest preview. Only the newest preview request's
 * reply is kept, so a slow reply never overwrites a newer one.
 */
export const useAugmentStore = defineStore('augment', () => {
  const datasetId = ref<number | null>(null);
  /** The preset the spec started from. */
  const presetName = ref<string | null>(null);
  const spec = ref<AugmentSpecInput | null>(null);
  /** Whether the spec was edited since it was loaded from the preset. */
  const edited = ref(false);
  const seed = ref(0);
  const pairs = ref(4);
  const stepByStep = ref(true);
  const preview = ref<PreviewReply | null>(null);
  const previewing = ref(false);
  const error = ref<string | null>(null);
  let sequence = 0;

  const validation = computed(() => (spec.value ? AugmentSpec.safeParse(spec.value) : null));
  const issues = computed(() =>
    validation.value && !validation.value.success
      ? issuesByPath(validation.value.error.issues)
      : {},
  );
  /** The spec when it validates (what previews and experiments may use), else null. */
  const validSpec = computed<AugmentSpecInput | null>(() =>
    validation.value?.success ? spec.value : null,
  );
  const json = computed(() =>
    spec.value
      ? JSON.stringify(validation.value?.success ? validation.value.data : spec.value, null, 2)
      : '',
  );

  function loadPreset(name: string, presetSpec: unknown): void {
    presetName.value = name;
    spec.value = cloneSpec(presetSpec) as AugmentSpecInput;
    edited.value = false;
  }

  function setSpec(next: AugmentSpecInput): void {
    spec.value = next;
    edited.value = true;
  }

  function editOps(path: string, edit: (ops: OpSpecInput[]) => OpSpecInput[]): void {
    if (spec.value) setSpec(withOps(spec.value, path, edit(opsAt(spec.value, path))));
  }

  const add = (path: string, name: OpName) => editOps(path, (ops) => addOp(ops, name));
  const remove = (path: string, index: number) => editOps(path, (ops) => removeOp(ops, index));
  const move = (path: string, index: number, delta: number) =>
    editOps(path, (ops) => moveOp(ops, index, delta));
  const replace = (path: string, index: number, op: OpSpecInput) =>
    editOps(path, (ops) => replaceOp(ops, index, op));

  /** Preview the current spec (the preset by name while unedited); invalid specs are not sent. */
  async function requestPreview(): Promise<void> {
    if (datasetId.value === null || !spec.value || !validSpec.value) return;
    const id = ++sequence;
    previewing.value = true;
    try {
      const reply = await api().call('previews:create', {
        datasetId: datasetId.value,
        augment: edited.value || !presetName.value ? validSpec.value : presetName.value,
        seed: seed.value,
        pairs: pairs.value,
        stepByStep: stepByStep.value,
      });
      if (id === sequence) {
        preview.value = reply;
        error.value = null;
      }
    } catch (err) {
      if (id === sequence) error.value = (err as Error).message;
    } finally {
      if (id === sequence) previewing.value = false;
    }
  }

  return {
    datasetId,
    presetName,
    spec,
    edited,
    seed,
    pairs,
    stepByStep,
    preview,
    previewing,
    error,
    issues,
    validSpec,
    json,
    loadPreset,
    setSpec,
    add,
    remove,
    move,
    replace,
    requestPreview,
  };
});
