import { useRunsStore } from '../stores/runs';
import { useApiEvent } from './useApiEvent';

/** Feed `runs:progress`, `runs:epoch` and `runs:state` into the runs store while the caller is mounted. */
export function useRunEvents(): void {
  const store = useRunsStore();
  useApiEvent('runs:progress', (event) => store.onProgress(event));
  useApiEvent('runs:epoch', (event) => store.onEpoch(event));
  useApiEvent('runs:state', (event) => store.onState(event));
}
