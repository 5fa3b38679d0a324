import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CallReply } from '../../../shared/api';
import { api } from '../api/client';

export type Presets = CallReply<'presets:list'>;

/** Augmentation and method presets: those shipped with the app and those saved in the workspace. */
export const usePresetsStore = defineStore('presets', () => {
  const presets = ref<Presets | null>(null);
  const error = ref<string | null>(null);
  let pending: Promise<void> | null = null;

  const augmentNames = computed(() => presets.value?.augment.map((p) => p.name) ?? []);

  /** Load the presets unless already loaded (concurrent callers share one request). */
  function ensure(): Promise<void> {
    if (presets.value) return Promise.resolve();
    pending ??= api()
      .call('presets:list', {})
      .then(
        (reply) => {
          presets.value = reply;
          error.value = null;
        },
        (err: Error) => {
          error.value = err.message;
        },
      )
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  /** Save a tuned spec as a workspace preset, then reload the list so it can be picked. */
  async function saveAugment(name: string, spec: unknown, overwrite = false): Promise<void> {
    await api().call('presets:save-augment', { name, spec: spec as never, overwrite });
    presets.value = null;
    await ensure();
  }

  function augmentSpec(name: string): unknown {
    return presets.value?.augment.find((p) => p.name === name)?.spec;
  }

  function methodConfig(name: string): unknown {
    return presets.value?.methods.find((p) => p.name === name)?.config;
  }

  /** One-line explanation per hyper-parameter of a method (from resources/presets/methods/knobs.json). */
  function methodKnobs(name: string): Record<string, string> {
    return presets.value?.methods.find((p) => p.name === name)?.knobs ?? {};
  }

  /** One-line explanation and paper default per parameter of an augmentation op (resources/presets/augment/knobs.json). */
  function opKnobs(op: string): Record<string, string> {
    return presets.value?.augmentKnobs?.[op] ?? {};
  }

  return { presets, error, augmentNames, ensure, saveAugment, augmentSpec, methodConfig, methodKnobs, opKnobs };
});
