// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setApiClient } from '../../src/renderer/src/api/client';
import DatasetsView from '../../src/renderer/src/views/DatasetsView.vue';
import type { Dataset } from '../../src/shared/schemas/datasets';
import { WorkbenchError } from '../../src/shared/errors';
import { fakeApi } from './fake-api';

const dataset: Dataset = {
  id: 1,
  name: 'pets',
  rootPath: '/home/me/pets',
  kind: 'folder',
  imageSize: 64,
  channels: 3,
  numImages: 12,
  numSkipped: 1,
  classes: ['cat', 'dog'],
  valFraction: 0.1,
  seed: 0,
  createdAt: '2026-01-01T00:00:00Z',
};

const stubs = { 'v-chart': { template: '<div class="chart-stub" />', props: ['option'] } };

beforeEach(() => setActivePinia(createPinia()));

afterEach(() => vi.useRealTimers());

describe('DatasetsView', () => {
  it('shows a dataset imported by another process (cwb dataset import) without a reload', async () => {
    vi.useFakeTimers();
    let fromCli: Dataset[] = [];
    const api = fakeApi({ 'datasets:list': () => fromCli });
    setApiClient(api.client);
    const wrapper = mount(DatasetsView, { global: { stubs } });
    await flushPromises();
    expect(wrapper.find('[data-testid="empty-state"]').exists()).toBe(true);
    fromCli = [dataset];
    await vi.advanceTimersByTimeAsync(4500);
    await flushPromises();
    expect(wrapper.find('[data-testid="empty-state"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('pets');
    wrapper.unmount();
  });

  it('says what to do when there is no dataset', async () => {
    const api = fakeApi({ 'datasets:list': () => [] });
    setApiClient(api.client);
    const wrapper = mount(DatasetsView, { global: { stubs } });
    await flushPromises();
    expect(wrapper.get('[data-testid="empty-state"]').text()).toContain('No datasets yet');
  });

  it('imports a folder, shows progress from events, then lists the dataset with its skipped files', async () => {
    let imported = false;
    let finishImport!: () => void;
    const api = fakeApi({
      'datasets:list': () => (imported ? [dataset] : []),
      'datasets:import': () =>
        new Promise((resolve) => {
          finishImport = () => {
            imported = true;
            resolve({
              datasetId: 1,
              imported: 12,
              skipped: [{ path: '/home/me/pets/x.jpg', reason: 'truncated file' }],
              duplicates: { files: 0, groups: 0, shown: [] },
            });
          };
        }),
      'datasets:class-balance': () => [
        { label: 'cat', train: 5, val: 1 },
        { label: 'dog', train: 5, val: 1 },
      ],
      'datasets:skipped': () => [{ path: '/home/me/pets/x.jpg', reason: 'truncated file' }],
      'datasets:images': () => ({
        total: 12,
        images: [
          { id: 5, relPath: 'cat/1.png', label: 'cat', split: 'train', width: 64, height: 64 },
          { id: 6, relPath: 'dog/1.png', label: 'dog', split: 'val', width: 64, height: 64 },
        ],
      }),
      'datasets:thumbnails': ({ imageIds }) =>
        imageIds
          .filter((id) => id === 5)
          .map((imageId) => ({ imageId, url: 'data:image/png;base64,AA==' })),
    });
    setApiClient(api.client);
    const wrapper = mount(DatasetsView, { global: { stubs } });
    await flushPromises();
    await wrapper.get('[data-testid="import-dir"]').setValue('/home/me/pets');
    await wrapper.get('[data-testid="import-form"]').trigger('submit');
    await flushPromises();
    api.emit('datasets:import-progress', {
      phase: 'decode',
      done: 3,
      total: 12,
      dir: '/home/me/pets',
    });
    await flushPromises();
    expect(wrapper.text()).toContain('3/12 (25%)');
    finishImport();
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'datasets:import')?.request).toMatchObject({
      dir: '/home/me/pets',
      size: 64,
    });
    expect(wrapper.get('[data-testid="dataset-table"]').text()).toContain('pets');
    expect(wrapper.get('[data-testid="skipped-table"]').text()).toContain('truncated file');
    expect(wrapper.find('[role="progressbar"]').exists()).toBe(false);
    const grid = wrapper.get('[data-testid="image-grid"]');
    expect(grid.text()).toContain('1–2 of 12');
    expect(grid.findAll('img').map((i) => i.attributes('alt'))).toEqual(['cat/1.png']);
    expect(grid.text()).toContain('dog');
    expect(grid.text()).toContain('val');
    expect(api.calls.find((c) => c.channel === 'datasets:thumbnails')?.request).toEqual({
      imageIds: [5, 6],
      side: 64,
    });
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
  });

  it('offers the demo dataset on first start and imports it', async () => {
    let imported = false;
    const api = fakeApi({
      'datasets:list': () => (imported ? [{ ...dataset, name: 'Colour shapes (demo)' }] : []),
      'datasets:demo': () => {
        imported = true;
        return { datasetId: 1, imported: 256, skipped: [], duplicates: { files: 0, groups: 0, shown: [] } };
      },
      'datasets:class-balance': () => [],
      'datasets:skipped': () => [],
      'datasets:images': () => ({ total: 0, images: [] }),
    });
    setApiClient(api.client);
    const wrapper = mount(DatasetsView, { global: { stubs } });
    await flushPromises();
    await wrapper.get('[data-testid="import-demo"]').trigger('click');
    await flushPromises();
    expect(api.calls.some((c) => c.channel === 'datasets:demo')).toBe(true);
    expect(wrapper.get('[data-testid="dataset-table"]').text()).toContain('Colour shapes (demo)');
  });

  it('shows the error of a failed import', async () => {
    const api = fakeApi({
      'datasets:list': () => [],
      'datasets:import': () => {
        throw new WorkbenchError('NOT_FOUND', 'folder not found: /nope');
      },
    });
    setApiClient(api.client);
    const wrapper = mount(DatasetsView, { global: { stubs } });
    await wrapper.get('[data-testid="import-dir"]').setValue('/nope');
    await wrapper.get('[data-testid="import-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('folder not found: /nope');
  });
});
