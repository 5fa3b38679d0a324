// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { setApiClient } from '../../src/renderer/src/api/client';
import EmbeddingsView from '../../src/renderer/src/views/EmbeddingsView.vue';
import ExportView from '../../src/renderer/src/views/ExportView.vue';
import PrototypesView from '../../src/renderer/src/views/PrototypesView.vue';
import { useSystemStore } from '../../src/renderer/src/stores/system';
import type { Run } from '../../src/shared/schemas/runs';
import { WorkbenchError } from '../../src/shared/errors';
import { fakeApi } from './fake-api';

const run = (id: number, method: string, status: Run['status'] = 'completed'): Run => ({
  id,
  experimentId: id,
  experimentName: `exp ${id}`,
  method,
  datasetId: 1,
  status,
  backend: 'wasm',
  device: null,
  backendReason: null,
  error: null,
  summary: {},
  createdAt: 'then',
  startedAt: 'then',
  finishedAt: 'now',
});
const url = 'data:image/png;base64,AA==';

/** A v-chart stand-in; tests emit its chart events (click with ECharts' params) directly. */
const VChart = { props: ['option'], emits: ['click'], template: '<div class="chart-stub" />' };

function mountView(component: object) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/', component: { template: '<div/>' } }],
  });
  return mount(component, { global: { plugins: [router], stubs: { 'v-chart': VChart } } });
}

beforeEach(() => setActivePinia(createPinia()));

describe('PrototypesView', () => {
  it('says what it needs when no SwAV run exists', async () => {
    setApiClient(fakeApi({ 'runs:list': () => [run(1, 'simclr')] }).client);
    const wrapper = mountView(PrototypesView);
    await flushPromises();
    expect(wrapper.get('[data-testid="empty-state"]').text()).toContain('No SwAV run yet');
  });

  it("loads the latest SwAV run's summary and shows a prototype's gallery when a bar is clicked", async () => {
    const api = fakeApi({
      'runs:list': () => [run(1, 'simclr'), run(2, 'swav')],
      'prototypes:summary': () => ({
        runId: 2,
        prototypes: 3,
        epochs: [1, 2],
        usage: [
          { epoch: 1, counts: [4, 0, 0] },
          { epoch: 2, counts: [2, 1, 1] },
        ],
        entropy: [
          { epoch: 1, entropy: 0.5 },
          { epoch: 2, entropy: 0.9 },
        ],
        classes: ['a', 'b'],
        heatmap: [
          [1, 1],
          [1, 0],
          [0, 1],
        ],
      }),
      'prototypes:gallery': ({ prototype }) => [
        { imageId: 10 + prototype, entropy: 0.25, url, label: 'a' },
      ],
    });
    setApiClient(api.client);
    const wrapper = mountView(PrototypesView);
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'prototypes:summary')?.request).toEqual({
      runId: 2,
    });
    expect(wrapper.text()).toContain('3 of 3 prototypes in use');
    // The first chart is the usage histogram.
    wrapper.getComponent(VChart).vm.$emit('click', { dataIndex: 1 });
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'prototypes:gallery')?.request).toEqual({
      runId: 2,
      epoch: 2,
      prototype: 1,
      limit: 48,
    });
    expect(wrapper.get('[data-testid="prototype-gallery"]').text()).toContain(
      'Prototype #1, epoch 2',
    );
    expect(wrapper.get('[data-testid="prototype-gallery"] img').attributes('alt')).toContain(
      'image 11',
    );
  });
});

describe('EmbeddingsView', () => {
  it('projects a trained run, then shows the neighbours of a clicked point', async () => {
    const api = fakeApi({
      'runs:list': () => [run(5, 'simclr'), run(6, 'moco', 'running')],
      'embeddings:project': () => ({
        projectionId: 3,
        runId: 5,
        algorithm: 'umap' as const,
        dim: 64,
        points: [
          { imageId: 1, x: 0, y: 0, label: 'a', split: 'train' as const },
          { imageId: 2, x: 1, y: 1, label: 'b', split: 'val' as const },
        ],
      }),
      'datasets:thumbnails': ({ imageIds }) => imageIds.map((imageId) => ({ imageId, url })),
      'embeddings:neighbours': () => [{ imageId: 2, similarity: 0.875, label: 'b' }],
    });
    setApiClient(api.client);
    const wrapper = mountView(EmbeddingsView);
    await flushPromises();
    expect(wrapper.findAll('[data-testid="embeddings-run"] option').map((o) => o.text())).toEqual([
      'choose a run',
      '#5 exp 5 · simclr · completed',
    ]);
    await wrapper.get('[data-testid="embeddings-algorithm"]').setValue('umap');
    await wrapper.get('[data-testid="embeddings-form"]').trigger('submit');
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'embeddings:project')?.request).toEqual({
      runId: 5,
      algorithm: 'umap',
      limit: 1000,
    });
    expect(api.calls.find((c) => c.channel === 'datasets:thumbnails')?.request).toEqual({
      imageIds: [1, 2],
      side: 48,
    });
    wrapper.getComponent(VChart).vm.$emit('click', { value: [0, 0, 1] });
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'embeddings:neighbours')?.request).toEqual({
      projectionId: 3,
      imageId: 1,
      k: 8,
    });
    expect(wrapper.get('[data-testid="neighbour-grid"]').text()).toContain('cos 0.875');
  });
});

describe('ExportView', () => {
  it('exports a run into a suggested workspace folder and lists where the files went', async () => {
    const api = fakeApi({
      'system:info': () =>
        ({ name: 'cwb', version: '0.1.0', home: '/ws', front: 'browser' }) as never,
      'runs:list': () => [run(4, 'simclr')],
      'exports:list': () => [],
      'encoders:list': () => [],
      'datasets:list': () => [],
      'experiments:list': () => [],
      'exports:create': (r) => ({
        runId: r.runId ?? null,
        experimentId: 4,
        format: r.format,
        outDir: r.outDir,
        files: ['model.onnx', 'metadata.json'],
        exportId: 1,
        maxAbsDiff: 1e-6,
      }),
    });
    setApiClient(api.client);
    const wrapper = mountView(ExportView);
    await flushPromises();
    await wrapper.get('[data-testid="export-format-onnx"]').setValue(true);
    await wrapper.get('[data-testid="export-dir"]').setValue('/tmp/out');
    await wrapper.get('[data-testid="export-form"]').trigger('submit');
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'exports:create')?.request).toEqual({
      runId: 4,
      format: 'onnx',
      outDir: '/tmp/out',
      force: false,
    });
    expect(wrapper.get('[data-testid="export-result"]').text()).toContain('model.onnx');
    expect(wrapper.get('[data-testid="export-result"]').text()).toContain('1.00e-6');
  });

  it('exports a PyTorch project from an experiment, with or without a run', async () => {
    const experiment = (id: number, runs: number) => ({
      id,
      name: `exp ${id}`,
      method: 'pirl' as const,
      datasetId: 1,
      runs,
      createdAt: 'then',
    });
    const api = fakeApi({
      'system:info': () =>
        ({ name: 'cwb', version: '0.1.0', home: '/ws', front: 'browser' }) as never,
      'runs:list': () => [run(4, 'simclr'), run(5, 'moco')],
      'exports:list': () => [],
      'experiments:list': () => [experiment(4, 1), experiment(5, 1), experiment(6, 0)],
      'encoders:list': () => [],
      'datasets:list': () => [],
      'exports:create': (r) => ({
        runId: null,
        experimentId: r.experimentId!,
        format: r.format,
        outDir: r.outDir,
        files: ['train.py', 'run_local.sh'],
        exportId: 2,
        maxAbsDiff: null,
      }),
    });
    setApiClient(api.client);
    await useSystemStore().loadInfo(); // the app shell loads it; the view suggests folders from it
    const wrapper = mountView(ExportView);
    await flushPromises();
    await wrapper.get('[data-testid="export-run"]').setValue('4');
    expect(wrapper.find('[data-testid="export-experiment"]').exists()).toBe(false);
    await wrapper.get('[data-testid="export-format-pytorch-project"]').setValue(true);
    await flushPromises();
    expect(wrapper.find('[data-testid="export-run"]').exists()).toBe(false);
    const picker = wrapper.get('[data-testid="export-experiment"]');
    expect((picker.element as HTMLSelectElement).value).toBe('4');
    expect(picker.findAll('option').map((o) => o.text())).toContain(
      '#6 exp 6 · pirl · no run yet',
    );
    await picker.setValue('6');
    expect((wrapper.get('[data-testid="export-dir"]').element as HTMLInputElement).value).toBe(
      '/ws/exports/experiment-6-pytorch-project',
    );
    await wrapper.get('[data-testid="export-form"]').trigger('submit');
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'exports:create')?.request).toEqual({
      experimentId: 6,
      format: 'pytorch-project',
      outDir: '/ws/exports/experiment-6-pytorch-project',
      force: false,
    });
    expect(wrapper.get('[data-testid="export-result"]').text()).toContain('run_local.sh');
  });

  it('opens on the PyTorch project of the experiment the designer just saved', async () => {
    const summary = (id: number) => ({
      id,
      name: `exp ${id}`,
      method: 'simclr' as const,
      datasetId: 1,
      runs: 0,
      createdAt: 'then',
    });
    const api = fakeApi({
      'runs:list': () => [run(4, 'simclr')],
      'exports:list': () => [],
      'experiments:list': () => [summary(4), summary(7), summary(8)],
      'encoders:list': () => [],
      'datasets:list': () => [],
    });
    setApiClient(api.client);
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/export', component: ExportView }],
    });
    await router.push('/export?format=pytorch-project&experiment=7');
    const wrapper = mount(ExportView, { global: { plugins: [router] } });
    await flushPromises();
    const format = wrapper.get('[data-testid="export-format-pytorch-project"]');
    expect((format.element as HTMLInputElement).checked).toBe(true);
    const picker = wrapper.get('[data-testid="export-experiment"]');
    expect((picker.element as HTMLSelectElement).value).toBe('7');
    // An id that is not (or no longer) an experiment falls back to the newest one.
    await router.push('/export?format=pytorch-project&experiment=99');
    const other = mount(ExportView, { global: { plugins: [router] } });
    await flushPromises();
    const fallback = other.get('[data-testid="export-experiment"]');
    expect((fallback.element as HTMLSelectElement).value).toBe('8');
  });

  it('shows why an export was refused', async () => {
    setApiClient(
      fakeApi({
        'runs:list': () => [run(4, 'simclr')],
        'exports:list': () => [],
        'experiments:list': () => [],
        'encoders:list': () => [],
        'datasets:list': () => [],
        'exports:create': () => {
          throw new WorkbenchError('CONFLICT', 'the output folder is not empty');
        },
      }).client,
    );
    const wrapper = mountView(ExportView);
    await flushPromises();
    await wrapper.get('[data-testid="export-dir"]').setValue('/tmp/full');
    await wrapper.get('[data-testid="export-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('not empty');
  });

  it('imports an ONNX encoder and measures its kNN accuracy on a dataset', async () => {
    const encoders: {
      id: number;
      name: string;
      path: string;
      inputSize: number;
      channels: number;
      layout: 'NCHW';
      outputDim: number;
      createdAt: string;
    }[] = [];
    const api = fakeApi({
      'runs:list': () => [],
      'exports:list': () => [],
      'experiments:list': () => [],
      'datasets:list': () => [
        {
          id: 3,
          name: 'shapes',
          rootPath: '/d',
          kind: 'folder',
          imageSize: 32,
          channels: 3,
          numImages: 8,
          numSkipped: 0,
          classes: ['a'],
          valFraction: 0.25,
          seed: 0,
          createdAt: 'then',
        },
      ],
      'encoders:list': () => encoders,
      'encoders:import': ({ file, name }) => {
        const record = {
          id: 1,
          name,
          path: file,
          inputSize: 32,
          channels: 3,
          layout: 'NCHW' as const,
          outputDim: 64,
          createdAt: 'now',
        };
        encoders.push(record);
        return record;
      },
      'encoders:knn': ({ encoderId, datasetId }) => ({
        encoderId,
        datasetId,
        k: 200,
        accuracy: 0.625,
      }),
    });
    setApiClient(api.client);
    const wrapper = mountView(ExportView);
    await flushPromises();
    expect(wrapper.get('[data-testid="empty-state"]').text()).toContain('Nothing to export yet');
    await wrapper.get('[data-testid="encoder-file"]').setValue('/models/model.onnx');
    await wrapper.get('[data-testid="encoder-name"]').setValue('mine');
    await wrapper.get('[data-testid="encoder-import-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="encoder-table"]').text()).toContain('3×32×32 NCHW');
    await wrapper.get('[data-testid="encoder-eval-1"]').trigger('click');
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'encoders:knn')?.request).toEqual({
      encoderId: 1,
      datasetId: 3,
    });
    expect(wrapper.get('[data-testid="encoder-knn-1"]').text()).toBe('62.5% (k=200)');
  });
});
