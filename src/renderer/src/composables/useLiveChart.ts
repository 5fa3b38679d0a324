import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue';

/** What a `<v-chart manual-update>` template ref exposes that live charts use. */
export interface ChartHandle {
  setOption(option: Record<string, unknown>, notMerge?: boolean): void;
}

export interface LiveChartOptions {
  /** Template ref of the `<v-chart manual-update>`. */
  chart: Readonly<Ref<ChartHandle | null | undefined>>;
  /** The whole option (axes, legend, series and their data). */
  full: () => Record<string, unknown>;
  /** A data-only option merged into the current one (series matched by id). */
  patch: () => Record<string, unknown>;
  /** Anything whose change needs the full option again (theme, run id, set of compared runs). */
  resetKey: () => unknown;
  /** Ticks when the data arrays grew. */
  revision: () => number;
  /** At most one patch per this many ms (leading and trailing edge). */
  intervalMs?: number;
}

/**
 * Owns a live chart's updates: the full option when the chart mounts or `resetKey` changes, then
 * throttled data-only merges while `revision` ticks — ECharts keeps its zoom, legend and axes instead
 * of re-rendering the chart from scratch on every training step.
 */
export function useLiveChart(options: LiveChartOptions): { flush: () => void } {
  const interval = options.intervalMs ?? 250;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dirty = false;
  let mounted = false;

  function reset(): void {
    options.chart.value?.setOption(options.full(), true);
  }

  function flush(): void {
    dirty = false;
    options.chart.value?.setOption(options.patch(), false);
  }

  function schedule(): void {
    if (!mounted) return;
    if (timer !== undefined) {
      dirty = true;
      return;
    }
    flush();
    timer = setTimeout(function tick() {
      timer = undefined;
      if (dirty) {
        flush();
        timer = setTimeout(tick, interval);
      }
    }, interval);
  }

  onMounted(() => {
    mounted = true;
    reset();
  });
  watch(options.resetKey, () => mounted && reset(), { deep: true });
  watch(options.revision, schedule);
  onBeforeUnmount(() => {
    mounted = false;
    if (timer !== undefined) clearTimeout(timer);
  });
  return { flush };
}
