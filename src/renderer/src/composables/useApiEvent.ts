import { onBeforeUnmount, onMounted } from 'vue';
import type { EventChannel, EventPayload } from '../../../shared/events';
import { api } from '../api/client';

/** Subscribe to a main-process event for the lifetime of the calling component. */
export function useApiEvent<E extends EventChannel>(
  channel: E,
  callback: (payload: EventPayload<E>) => void,
): void {
  let unsubscribe: (() => void) | undefined;
  onMounted(() => {
    unsubscribe = api().on(channel, callback);
  });
  onBeforeUnmount(() => unsubscribe?.());
}
