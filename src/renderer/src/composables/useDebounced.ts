import { onBeforeUnmount } from 'vue';

/** `fn` run `ms` after the last call; a pending run is dropped when the caller unmounts. */
export function useDebounced(
  fn: () => void,
  ms: number,
): { trigger: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  onBeforeUnmount(cancel);
  return {
    trigger() {
      cancel();
      timer = setTimeout(() => {
        timer = undefined;
        fn();
      }, ms);
    },
    cancel,
  };
}
