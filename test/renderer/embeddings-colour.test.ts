// @vitest-environment happy-dom
/** Issue 17 §6: colouring the embedding map, the lasso selection, PCA variance and the first-visit hint. */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { setApiClient } from '../../src/renderer/src/api/client';
import {
  brushedImageIds,
  colourValue,
  embeddingScatterOption,
  KNN_RIGHT,
  KNN_WRONG,
  type ColourBy,
  type ProjectedPoint,
} from '../../src/renderer/src/charts/embeddings';
import EmbeddingsView from '../../src/renderer/src/views/EmbeddingsView.vue';
import type { Run } from '../../src/shared/schemas/runs';
import { fakeApi } from './fake-api';

interface Series {
  id: string;
  name: string;
  color: string;
  data: number[][];
}

const points: ProjectedPoint[] = [
  {
    imageId: 1,
    x: 0,
    y: 0,
    label: 'a',
    split: 'train',
    prototype: 10,
    knnCorrect: null,
    knnPrediction: null,
  },
  {
    imageId: 2,
    x: 1,
    y: 0,
    label: 'b',
    split: 'val',
    prototype: 2,
    knnCorrect: true,
    knnPrediction: 'b',
  },
  {
    imageId: 3,
    x: 0,
    y: 1,
    label: 'a',
    split: 'val',
    prototype: null,
    knnCorrect: false,
    knnPrediction: 'b',
  },
  {
    imageId: 4,
    x: 1,
    y: 1,
    label: null,
    split: 'val',
    prototype: 2,
    knnCorrect: null,
    knnPrediction: null,
  },
];

function seriesOf(colourBy: ColourBy): Series[] {
  const option = embeddingScatterOption(points, {
    dark: false,
    colourBy,
    selected: null,
    neighbours: [],
    thumbnail: () => undefined,
  }) as { series: Series[] };
  return option.series.filter((s) => s.id !== 'highlight');
}

describe('embedding colourings', () => {
  it.each<[ColourBy, string[], number[][]]>([
    ['label', ['(unlabelled)', 'a', 'b'], [[4], [1, 3], [2]]],
    ['split', ['train', 'val'], [[1], [2, 3, 4]]],
    ['prototype', ['(not assigned)', 'prototype 2', 'prototype 10'], [[3], [2, 4], [1]]],
    ['knn', ['(not scored: training or unlabelled)', KNN_RIGHT, KNN_WRONG], [[1, 4], [2], [3]]],
  ])(
    '%s: one series per value, points without one in a grey series first',
    (colourBy, names, ids) => {
      const series = seriesOf(colourBy);
      expect(series.map((s) => s.name)).toEqual(names);
      expect(series.map((s) => s.data.map((d) => d[2]))).toEqual(ids);
    },
  );

  it('greys the points without a value and keeps right/wrong apart in colour', () => {
    const knn = seriesOf('knn');
    expect(knn[0]!.id).toBe('no-value');
    expect(new Set(knn.map((s) => s.color)).size).toBe(3);
    expect(seriesOf('split').every((s) => s.id !== 'no-value')).toBe(true);
    expect(colourValue(points[0]!, 'knn')).toBeNull();
    expect(colourValue(points[2]!, 'knn')).toBe(KNN_WRONG);
  });

  it('offers the lasso and reads a brush selection back to image ids (highlight ring ignored)', () => {
    const option = embeddingScatterOption(points, {
      dark: true,
      colourBy: 'label',
      selected: 2,
      neighbours: [1],
      thumbnail: () => undefined,
    }) as { series: Series[]; brush: { toolbox: string[] }; toolbox: unknown };
    expect(option.brush.toolbox).toContain('polygon');
    const highlight = option.series.findIndex((s) => s.id === 'highlight');
    const ids = brushedImageIds(option, {
      batch: [
        {
          selected: [
            { seriesIndex: 1, dataIndex: [0, 1] },
            { seriesIndex: 2, dataIndex: [0] },
            { seriesIndex: highlight, dataIndex: [0, 1] },
          ],
        },
      ],
    });
    expect(ids).toEqual([1, 3, 2]);
    expect(brushedImageIds(option, {})).toEqual([]);
  });
});

const run: Run = {
  id: 7,
  experimentId: 7,
  experimentName: 'shapes swav',
  method: 'swav',
  datasetId: 1,
  status: 'completed',
  backend: 'wasm',
  device: null,
  backendReason: null,
  error: null,
  summary: {},
  experiment: { encoder: 'small' },
  createdAt: 'then',
  startedAt: 'then',
  finishedAt: 'now',
};
const url = 'data:image/png;base64,AA==';
const VChart = {
  props: ['option'],
  emits: ['click', 'brushselected'],
  template: '<div class="chart-stub" />',
};

function mountView() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/', component: { template: '<div/>' } }],
  });
  return mount(EmbeddingsView, { global: { plugins: [router], stubs: { 'v-chart': VChart } } });
}

beforeEach(() => setActivePinia(createPinia()));

describe('EmbeddingsView colouring, variance and lasso', () => {
  it('hints before the first projection, then shows variance, the kNN note and a lasso selection', async () => {
    const api = fakeApi({
      'runs:list': () => [run],
      'embeddings:project': () => ({
        projectionId: 1,
        runId: 7,
        algorithm: 'pca' as const,
        dim: 32,
        points,
        varianceExplained: [0.5, 0.25, 0.125],
        knn: { k: 1, temperature: 0.1, bankSize: 1, queries: 2 },
        prototypeEpoch: 3,
      }),
      'datasets:thumbnails': ({ imageIds }) => imageIds.map((imageId) => ({ imageId, url })),
    });
    setApiClient(api.client);
    const wrapper = mountView();
    await flushPromises();
    const hint = wrapper.get('[data-testid="embeddings-hint"]').text();
    expect(hint).toContain('small encoder of run #7');
    expect(hint).toContain('Project');
    await wrapper.get('[data-testid="embeddings-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="embeddings-hint"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="variance-explained"]').text()).toContain('PC1 50.0%');
    expect(wrapper.get('[data-testid="variance-cumulative"]').text()).toBe(
      'shown 2 together 75.0%',
    );
    await wrapper.get('[data-testid="embeddings-colour"]').setValue('knn');
    expect(wrapper.get('[data-testid="colour-note"]').text()).toContain('1 of 2 right');
    const chart = wrapper.getComponent(VChart);
    expect((chart.props('option') as { series: Series[] }).series.map((s) => s.name)).toContain(
      KNN_WRONG,
    );
    await wrapper.get('[data-testid="embeddings-colour"]').setValue('prototype');
    expect(wrapper.get('[data-testid="colour-note"]').text()).toContain('epoch 3');
    // A lasso over two points of the label-coloured series lists them with thumbnails.
    const option = chart.props('option') as { series: Series[] };
    const p2 = option.series.findIndex((s) => s.name === 'prototype 2');
    chart.vm.$emit('brushselected', {
      batch: [{ selected: [{ seriesIndex: p2, dataIndex: [0, 1] }] }],
    });
    await flushPromises();
    expect(wrapper.get('[data-testid="lasso-count"]').text()).toBe('2 images');
    expect(wrapper.findAll('[data-testid="lasso-grid"] img')).toHaveLength(2);
    await wrapper.get('[data-testid="lasso-clear"]').trigger('click');
    expect(wrapper.find('[data-testid="lasso-selection"]').exists()).toBe(false);
  });

  it('offers prototype and kNN colourings only when the projection has them', async () => {
    setApiClient(
      fakeApi({
        'runs:list': () => [{ ...run, method: 'simclr', experiment: {} }],
        'embeddings:project': () => ({
          projectionId: 1,
          runId: 7,
          algorithm: 'umap' as const,
          dim: 8,
          points: points.slice(0, 2),
          knn: null,
          prototypeEpoch: null,
        }),
        'datasets:thumbnails': () => [],
        'presets:list': () => ({
          augment: [],
          methods: [{ name: 'simclr', config: { encoder: { name: 'resnet18-cifar' } } }],
        }),
      }).client,
    );
    const wrapper = mountView();
    await flushPromises();
    // No encoder in the experiment: the method preset's.
    expect(wrapper.get('[data-testid="embeddings-hint"]').text()).toContain(
      'resnet18-cifar encoder of run #7',
    );
    await wrapper.get('[data-testid="embeddings-form"]').trigger('submit');
    await flushPromises();
    const disabled = wrapper
      .findAll('[data-testid="embeddings-colour"] option')
      .filter((o) => (o.element as HTMLOptionElement).disabled);
    expect(disabled.map((o) => [o.text(), o.attributes('title')])).toEqual([
      ['SwAV prototype (n/a)', 'SwAV runs with stored prototype assignments only'],
      ['kNN correctness (n/a)', 'needs labelled training and validation images'],
    ]);
    expect(wrapper.find('[data-testid="variance-explained"]').exists()).toBe(false);
  });
});
