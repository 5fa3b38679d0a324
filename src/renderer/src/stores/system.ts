import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo, DoctorReport } from '../../../shared/schemas/system';
import { api } from '../api/client';

/** App identity and the compute backend report. */
export const useSystemStore = defineStore('system', () => {
  /** Name, version, workspace and front (electron | browser); null until loaded. */
  const info = ref<AppInfo | null>(null);
  /** Backend report; loaded on demand because it starts the engine worker. */
  const doctor = ref<DoctorReport | null>(null);
  const error = ref<string | null>(null);

  async function loadInfo(): Promise<void> {
    try {
      info.value = await api().call('system:info', {});
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  async function loadDoctor(): Promise<void> {
    try {
      doctor.value = await api().call('system:doctor', {});
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  return { info, doctor, error, loadInfo, loadDoctor };
});
