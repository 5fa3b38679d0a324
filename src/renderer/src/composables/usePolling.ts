import { onBeforeUnmount, onMounted } from 'vue';

/**
 * Run `fn` every `ms` while the caller is mounted and the page is visible, and at once when the
 * window comes back into view — for records other processes change (a `cwb dataset import` run in
 * a terminal shows in an open UI without a reload).
 */
export function usePolling(fn: () => void, ms: number): void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const visible = (): boolean => typeof document === 'undefined' || document.visibilityState !== 'hidden';
  const tick = (): void => {
    if (visible()) fn();
  };
  const onVisible = (): void => {
    if (visible()) fn();
  };
  onMounted(() => {
    timer = setInterval(tick, ms);
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
  });
  onBeforeUnmount(() => {
    if (timer !== undefined) clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
    window.removeEventListener('focus', onVisible);
  });
}
