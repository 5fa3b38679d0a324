// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setApiClient } from '../../src/renderer/src/api/client';
import ImportForm from '../../src/renderer/src/components/datasets/ImportForm.vue';
import { importProgressView } from '../../src/renderer/src/format/import-progress';
import { useDatasetsStore } from '../../src/renderer/src/stores/datasets';
import type { ImportDatasetReply } from '../../src/shared/schemas/datasets';
import { WorkbenchError } from '../../src/shared/errors';
import { fakeApi } from './fake-api';

const dataset = {
  id: 3, name: 'pets', rootPath: '/home/me/pets', kind: 'folder' as const, imageSize: 32, channels: 3 as const,
  numImages: 4, numSkipped: 1, classes: ['cat', 'dog'], valFraction: 0.1, seed: 0, createdAt: '2026-01-01T00:00:00Z',
};
const quiet = {
  'datasets:list': () => [dataset],
  'datasets:class-balance': () => [],
  'datasets:skipped': () => [],
  'datasets:images': () => ({ total: 0, images: [] }),
};

beforeEach(() => setActivePinia(createPinia()));

describe('the import form', () => {
  it('sends the labels CSV chosen in the folder browser (browser mode lists CSV files)', async () => {
    let finish!: (reply: ImportDatasetReply) => void;
    const api = fakeApi({
      ...quiet,
      'files:folders': (r) => ({
        path: '/home/me', parent: null, root: '/home/me', images: 0, truncated: false, folders: [],
        files: r.files === 'csv' ? [{ name: 'labels.csv', path: '/home/me/labels.csv' }] : [],
      }),
      'datasets:import': () => new Promise((resolve) => (finish = resolve)),
    });
    setApiClient(api.client);
    const wrapper = mount(ImportForm);
    await wrapper.get('[data-testid="import-dir"]').setValue('/home/me/pets');
    await wrapper.get('[data-testid="import-labels-browse"]').trigger('click');
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'files:folders')?.request).toEqual({ files: 'csv' });
    await wrapper.get('[data-testid="file-labels.csv"]').trigger('click');
    expect((wrapper.get('[data-testid="import-labels"]').element as HTMLInputElement).value).toBe('/home/me/labels.csv');
    await wrapper.get('[data-testid="import-form"]').trigger('submit');
    await flushPromises();
    expect(api.calls.find((c) => c.channel === 'datasets:import')?.request).toMatchObject({ dir: '/home/me/pets', labelsCsv: '/home/me/labels.csv' });
    finish({
      datasetId: 3,
      imported: 4,
      skipped: [{ path: '/home/me/pets/gone.png', reason: 'listed in labels.csv (line 7) but not found in the folder' }],
      duplicates: { files: 2, groups: 1, shown: [{ kept: 'cat/a.png', copies: ['cat/b.png', 'dog/a.png'], count: 2, conflictingLabels: ['cat', 'dog'] }] },
    });
    await flushPromises();
    const summary = wrapper.get('[data-testid="import-summary"]');
    expect(summary.text()).toContain('skipped 1 (1 from the labels CSV)');
    expect(wrapper.get('[data-testid="import-duplicates"]').text()).toBe('2 exact duplicates in 1 set of identical files');
    expect(wrapper.get('[data-testid="duplicate-sets"]').text()).toContain('cat/a.png = cat/b.png, dog/a.png');
    expect(wrapper.get('[data-testid="duplicate-sets"]').text()).toContain('labels disagree: cat / dog');
  });

  it('shows a bad labels CSV beside its field, not in a banner', async () => {
    const api = fakeApi({
      ...quiet,
      'datasets:import': () => {
        throw new WorkbenchError('NOT_FOUND', 'labels CSV /home/me/nope.csv: no such file', { issues: [{ path: 'labelsCsv', message: 'no such file' }] });
      },
    });
    setApiClient(api.client);
    const wrapper = mount(ImportForm);
    await wrapper.get('[data-testid="import-dir"]').setValue('/home/me/pets');
    await wrapper.get('[data-testid="import-labels"]').setValue('/home/me/nope.csv');
    await wrapper.get('[data-testid="import-form"]').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="import-labels-error"]').text()).toBe('no such file');
    expect(wrapper.find('[data-testid="import-summary"]').exists()).toBe(false);
  });

  it('labels the bar with the phase, as step k of 4, and the bar counts that phase', async () => {
    const api = fakeApi({ ...quiet, 'datasets:import': () => new Promise(() => undefined) });
    setApiClient(api.client);
    const wrapper = mount(ImportForm);
    await wrapper.get('[data-testid="import-dir"]').setValue('/home/me/pets');
    await wrapper.get('[data-testid="import-form"]').trigger('submit');
    await flushPromises();
    // DatasetsView forwards the progress events to the store.
    useDatasetsStore().onProgress({ phase: 'hash', done: 30, total: 120, dir: '/home/me/pets' });
    await flushPromises();
    const bar = wrapper.get('[role="progressbar"]');
    expect(bar.text()).toContain('Importing — step 2 of 4: hashing files and reading headers — 30/120 (25%)');
    expect(bar.attributes('aria-valuenow')).toBe('25');
    expect(bar.get('.fill').attributes('style')).toContain('width: 25%');
  });
});

describe('importProgressView', () => {
  it('names each phase in order and keeps the count within its total', () => {
    expect(['scan', 'hash', 'decode', 'cache'].map((phase) => importProgressView({ phase, done: 1, total: 2 }).label)).toEqual([
      'Importing — step 1 of 4: scanning folders',
      'Importing — step 2 of 4: hashing files and reading headers',
      'Importing — step 3 of 4: decoding images',
      'Importing — step 4 of 4: writing the tensor cache',
    ]);
    expect(importProgressView({ phase: 'split', done: 5, total: 5 }).label).toBe('Importing — finishing: splitting train / validation');
    expect(importProgressView({ phase: 'decode', done: 9, total: 4 })).toMatchObject({ done: 4, total: 4 });
  });
});
