// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setApiClient } from '../../src/renderer/src/api/client';
import ImageGrid from '../../src/renderer/src/components/datasets/ImageGrid.vue';
import { useDatasetsStore } from '../../src/renderer/src/stores/datasets';
import type { Dataset } from '../../src/shared/schemas/datasets';
import { fakeApi } from './fake-api';

const dataset: Dataset = {
  id: 2, name: 'pets', rootPath: '/home/me/pets', kind: 'folder', imageSize: 32, channels: 3, numImages: 3,
  numSkipped: 0, classes: ['cat', 'dog'], valFraction: 0.3, seed: 0, createdAt: '2026-01-01T00:00:00Z',
};
const images = [
  { id: 1, relPath: 'cat/1.png', label: 'cat', split: 'train' as const, width: 640, height: 480 },
  { id: 2, relPath: 'dog/1.png', label: 'dog', split: 'val' as const, width: 300, height: 200 },
  { id: 3, relPath: 'x.png', label: null, split: 'train' as const, width: 20, height: 20 },
];

beforeEach(() => setActivePinia(createPinia()));

async function mountGrid() {
  const api = fakeApi({
    'datasets:list': () => [dataset],
    'datasets:class-balance': () => [
      { label: 'cat', train: 1, val: 0 },
      { label: 'dog', train: 0, val: 1 },
      { label: null, train: 1, val: 0 },
    ],
    'datasets:skipped': () => [],
    'datasets:images': (r) => {
      const hit = images.filter((i) => (r.label === undefined || i.label === r.label) && (r.split === undefined || i.split === r.split));
      return { total: hit.length, images: hit };
    },
    'datasets:thumbnails': (r) => r.imageIds.map((imageId) => ({ imageId, url: `data:image/png;base64,${imageId}-${r.side}` })),
  });
  setApiClient(api.client);
  const store = useDatasetsStore();
  await store.refresh();
  await store.select(2);
  const wrapper = mount(ImageGrid, { attachTo: document.body });
  await flushPromises();
  return { api, wrapper };
}

const shown = (wrapper: Awaited<ReturnType<typeof mountGrid>>['wrapper']) => wrapper.findAll('.tiles img').map((i) => i.attributes('alt'));

describe('ImageGrid', () => {
  it('filters by class (unlabelled included) and by split, asking the server for the filtered page', async () => {
    const { api, wrapper } = await mountGrid();
    expect(shown(wrapper)).toEqual(['cat/1.png', 'dog/1.png', 'x.png']);
    const classes = wrapper.get('[data-testid="image-filter-class"]');
    expect(classes.findAll('option').map((o) => o.text())).toEqual(['all classes', 'cat (1)', 'dog (1)', 'unlabelled (1)']);
    await classes.setValue('l:dog');
    await flushPromises();
    expect(shown(wrapper)).toEqual(['dog/1.png']);
    expect(api.calls.filter((c) => c.channel === 'datasets:images').at(-1)?.request).toMatchObject({ label: 'dog', offset: 0 });
    await wrapper.get('[data-testid="image-filter-split"]').setValue('train');
    await flushPromises();
    expect(shown(wrapper)).toEqual([]);
    expect(wrapper.text()).toContain('no images match');
    await classes.setValue('\u0000');
    await flushPromises();
    expect(shown(wrapper)).toEqual(['x.png']);
    expect(api.calls.filter((c) => c.channel === 'datasets:images').at(-1)?.request).toMatchObject({ label: null, split: 'train' });
    await classes.setValue('');
    await wrapper.get('[data-testid="image-filter-split"]').setValue('');
    await flushPromises();
    expect(shown(wrapper)).toEqual(['cat/1.png', 'dog/1.png', 'x.png']);
    wrapper.unmount();
  });

  it('enlarges a thumbnail at the cached size with its full path, original size, label and split; Esc closes', async () => {
    const { api, wrapper } = await mountGrid();
    await wrapper.get('[data-testid="image-2"]').trigger('click');
    await flushPromises();
    expect(api.calls.at(-1)).toEqual({ channel: 'datasets:thumbnails', request: { imageIds: [2], side: 32 } });
    expect(wrapper.get('[data-testid="lightbox-image"]').attributes('src')).toBe('data:image/png;base64,2-32');
    expect(wrapper.findAll('[data-testid="lightbox-caption"] span').map((s) => s.text())).toEqual([
      '/home/me/pets/dog/1.png',
      '300×200 px',
      'label: dog',
      'split: val',
      'shown as training sees it: 32 px square, from the tensor cache',
    ]);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await flushPromises();
    expect(wrapper.find('[data-testid="lightbox"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
