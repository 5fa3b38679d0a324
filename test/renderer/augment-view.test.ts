// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { setApiClient } from '../../src/renderer/src/api/client';
import AugmentView from '../../src/renderer/src/views/AugmentView.vue';
import type { Dataset } from '../../src/shared/schemas/datasets';
import type { PreviewRequest } from '../../src/shared/schemas/previews';
import { fakeApi } from './fake-api';

const dataset: Dataset = {
  id: 2,
  name: 'shapes',
  rootPath: '/data',
  kind: 'folder',
  imageSize: 32,
  channels: 3,
  numImages: 8,
  numSkipped: 0,
  classes: [],
  valFraction: 0,
  seed: 0,
  createdAt: '2026-01-01T00:00:00Z',
};
const png = (n: number) => `data:image/png;base64,${btoa(String(n))}`;
const presets = {
  augment: [
    {
      name: 'simclr',
      spec: {
        kind: 'pair',
        views: [
          {
            name: 'view',
            count: 2,
            ops: [
              { op: 'horizontal-flip', p: 0.5 },
              { op: 'grayscale', p: 0.2 },
            ],
          },
        ],
      },
    },
    {
      name: 'pirl-jigsaw',
      spec: {
        kind: 'jigsaw',
        views: [{ name: 'image', count: 1, ops: [] }],
        jigsaw: { grid: 3, tileOps: [] },
      },
    },
  ],
  methods: [],
};

function setup() {
  const api = fakeApi({
    'datasets:list': () => [dataset],
    'presets:list': () => presets,
    'previews:create': (r: PreviewRequest) => ({
      previewId: 1,
      grid: png(0),
      viewNames:
        typeof r.augment === 'string' && r.augment === 'pirl-jigsaw'
          ? ['image', 'jigsaw 3×3']
          : ['view-1', 'view-2'],
      items: [
        {
          original: png(1),
          views: [png(2 + (r.seed ?? 0)), png(3)],
          steps: [{ view: 0, op: 'horizontal-flip', params: { applied: true }, png: png(9) }],
        },
      ],
      params: [
        typeof r.augment === 'string' && r.augment === 'pirl-jigsaw'
          ? { permutationIndex: 17 }
          : {},
      ],
    }),
  });
  setApiClient(api.client);
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: AugmentView },
      { path: '/datasets', component: { template: '<div/>' } },
    ],
  });
  return { api, router };
}

const previews = (api: ReturnType<typeof setup>['api']) =>
  api.calls.filter((c) => c.channel === 'previews:create').map((c) => c.request as PreviewRequest);

async function settle() {
  await flushPromises();
  vi.advanceTimersByTime(400);
  await flushPromises();
}

beforeEach(() => {
  setActivePinia(createPinia());
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('AugmentView', () => {
  it('previews the default preset by name, then again with a new seed', async () => {
    const { api, router } = setup();
    const wrapper = mount(AugmentView, { global: { plugins: [router] } });
    await settle();
    expect(previews(api)).toEqual([
      { datasetId: 2, augment: 'simclr', seed: 0, pairs: 4, stepByStep: true },
    ]);
    const firstView = wrapper
      .get('[data-testid="preview-row-0"] td:nth-child(2) img')
      .attributes('src');
    await wrapper.get('[data-testid="augment-next-seed"]').trigger('click');
    await settle();
    expect(previews(api).at(-1)).toMatchObject({ seed: 1 });
    expect(
      wrapper.get('[data-testid="preview-row-0"] td:nth-child(2) img').attributes('src'),
    ).not.toBe(firstView);
    expect(wrapper.get('[data-testid="step-chain"]').text()).toContain('applied: yes');
  });

  it('sends the edited spec, and holds back a spec the schema rejects while saying why', async () => {
    const { api, router } = setup();
    const wrapper = mount(AugmentView, { global: { plugins: [router] } });
    await settle();
    await wrapper.get('[data-testid="field-p"]').setValue('0.9');
    await settle();
    const edited = previews(api).at(-1)!.augment as {
      views: { ops: { op: string; p: number }[] }[];
    };
    expect(edited.views[0]!.ops[0]).toEqual({ op: 'horizontal-flip', p: 0.9 });

    const count = previews(api).length;
    await wrapper.get('[data-testid="field-p"]').setValue('1.5');
    await settle();
    expect(previews(api)).toHaveLength(count);
    expect(wrapper.text()).toContain('p must be ≤ 1');
    expect(wrapper.get('[data-testid="augment-status"]').text()).toContain('1 problem');
  });

  it('adds, reorders and removes ops', async () => {
    const { router } = setup();
    const wrapper = mount(AugmentView, { global: { plugins: [router] } });
    await settle();
    await wrapper.get('[data-testid="add-op-name"]').setValue('solarize');
    await wrapper.get('[data-testid="add-op"]').trigger('click');
    const names = () => wrapper.findAll('li.op strong').map((n) => n.text());
    expect(names()).toEqual(['1. horizontal-flip', '2. grayscale', '3. solarize']);
    await wrapper.get('[aria-label="Move solarize up"]').trigger('click');
    expect(names()).toEqual(['1. horizontal-flip', '2. solarize', '3. grayscale']);
    await wrapper.get('[data-testid="remove-views.0.ops-0"]').trigger('click');
    expect(names()).toEqual(['1. solarize', '2. grayscale']);
    expect(wrapper.get('[data-testid="augment-json"]').text()).toContain('"solarize"');
  });

  it('shows the jigsaw permutation and grid for the PIRL preset', async () => {
    const { api, router } = setup();
    const wrapper = mount(AugmentView, { global: { plugins: [router] } });
    await settle();
    await wrapper.get('[data-testid="augment-preset"]').setValue('pirl-jigsaw');
    await settle();
    expect(previews(api).at(-1)).toMatchObject({ augment: 'pirl-jigsaw' });
    expect(wrapper.get('[data-testid="preview-grid"]').text()).toContain('jigsaw 3×3');
    expect(wrapper.get('[data-testid="jigsaw-permutation"]').text()).toContain('#17');
    expect((wrapper.get('[data-testid="field-grid"]').element as HTMLInputElement).value).toBe('3');
  });
});
