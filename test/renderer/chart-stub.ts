import { defineComponent, h } from 'vue';

export interface SetOptionCall {
  option: Record<string, unknown>;
  notMerge: boolean | undefined;
}

/**
 * A `<v-chart>` stand-in for happy-dom (no canvas): records every `setOption` a live chart makes
 * through its template ref, and the `option` prop of declarative charts.
 */
export function chartStub() {
  const calls: SetOptionCall[] = [];
  const component = defineComponent({
    name: 'VChart',
    props: {
      option: { type: Object, default: undefined },
      manualUpdate: Boolean,
      autoresize: Boolean,
    },
    setup(_props, { expose }) {
      expose({
        setOption(option: Record<string, unknown>, notMerge?: boolean) {
          calls.push({ option, notMerge });
        },
      });
      return () => h('div', { class: 'chart-stub' });
    },
  });
  return { calls, stubs: { 'v-chart': component, VChart: component } };
}
