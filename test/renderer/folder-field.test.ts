// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { setApiClient } from '../../src/renderer/src/api/client';
import FolderField from '../../src/renderer/src/components/forms/FolderField.vue';
import ShowInFolder from '../../src/renderer/src/components/ShowInFolder.vue';
import { useFolderDrop } from '../../src/renderer/src/composables/useFolderDrop';
import type { FolderListing } from '../../src/shared/schemas/files';
import { WorkbenchError } from '../../src/shared/errors';
import { fakeApi } from './fake-api';

const listings: Record<string, FolderListing> = {
  '/home/me': {
    path: '/home/me',
    parent: null,
    root: '/home/me',
    images: 0,
    truncated: false,
    folders: [{ name: 'pictures', path: '/home/me/pictures', images: 12, folders: 0 }],
  },
  '/home/me/pictures': { path: '/home/me/pictures', parent: '/home/me', root: '/home/me', images: 12, truncated: false, folders: [] },
};

function host(initial = '') {
  const value = ref(initial);
  const Host = defineComponent(() => () => h(FolderField, { modelValue: value.value, 'onUpdate:modelValue': (v: string) => (value.value = v), purpose: 'dataset', testid: 'dir' }));
  return { value, wrapper: mount(Host) };
}

afterEach(() => {
  delete (window as { workbench?: unknown }).workbench;
});

describe('FolderField in browser mode: the workbench folder browser', () => {
  it('browses from the home into a folder and chooses it', async () => {
    const api = fakeApi({
      'files:folders': (r) => {
        const listing = listings[r.path ?? '/home/me'];
        if (!listing) throw new WorkbenchError('INVALID_INPUT', `${r.path} is outside /home/me`);
        return listing;
      },
    });
    setApiClient(api.client);
    const { value, wrapper } = host('/etc');
    await wrapper.get('[data-testid="dir-browse"]').trigger('click');
    await flushPromises();
    // The typed /etc is outside the home: the browser starts at the home instead.
    expect(wrapper.get('[data-testid="folder-path"]').text()).toBe('/home/me');
    expect(wrapper.get('[data-testid="folder-up"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="folder-pictures"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="folder-path"]').text()).toBe('/home/me/pictures');
    expect(wrapper.text()).toContain('12 images directly in this folder');
    await wrapper.get('[data-testid="folder-choose"]').trigger('click');
    expect(value.value).toBe('/home/me/pictures');
    expect(wrapper.find('[data-testid="folder-browser"]').exists()).toBe(false);
    expect(api.calls.map((c) => c.request)).toEqual([{ path: '/etc' }, {}, { path: '/home/me/pictures' }]);
  });
});

describe('FolderField in the desktop app: the native picker', () => {
  it('asks the main process for a folder, starting at the typed one; a cancel keeps the value', async () => {
    let answer: string | null = '/data/cats';
    const api = fakeApi({ 'desktop:pick-folder': () => ({ path: answer }) });
    setApiClient(api.client);
    (window as { workbench?: unknown }).workbench = { pathForFile: () => '' };
    const { value, wrapper } = host('/data');
    await wrapper.get('[data-testid="dir-browse"]').trigger('click');
    await flushPromises();
    expect(value.value).toBe('/data/cats');
    expect(api.calls[0]).toEqual({ channel: 'desktop:pick-folder', request: { purpose: 'dataset', defaultPath: '/data' } });
    answer = null;
    await wrapper.get('[data-testid="dir-browse"]').trigger('click');
    await flushPromises();
    expect(value.value).toBe('/data/cats');
    expect(wrapper.find('[data-testid="folder-browser"]').exists()).toBe(false);
  });
});

describe('dropping a folder', () => {
  function dropEvent(file?: File): DragEvent {
    const event = new Event('drop', { cancelable: true }) as DragEvent;
    Object.defineProperty(event, 'dataTransfer', { value: { files: file ? [file] : [] } });
    return event;
  }

  it('gives its path through the preload in the desktop app', () => {
    const seen: string[] = [];
    (window as { workbench?: unknown }).workbench = { pathForFile: (f: File) => `/dropped/${f.name}` };
    const drop = useFolderDrop((p) => seen.push(p));
    const event = dropEvent(new File([], 'pets'));
    drop.drop(event);
    expect(seen).toEqual(['/dropped/pets']);
    expect(event.defaultPrevented).toBe(true);
    expect(drop.message.value).toBeNull();
  });

  it('explains itself in the browser, where a page never learns dropped paths', () => {
    const seen: string[] = [];
    const drop = useFolderDrop((p) => seen.push(p));
    drop.drop(dropEvent(new File([], 'pets')));
    expect(seen).toEqual([]);
    expect(drop.message.value).toMatch(/use Browse…/);
  });
});

describe('Show in folder', () => {
  it('renders nothing in the browser', () => {
    setApiClient(fakeApi({}).client);
    const wrapper = mount(ShowInFolder, { props: { path: '/ws/exports/run-1-onnx' } });
    expect(wrapper.find('button').exists()).toBe(false);
  });

  it('in the desktop app asks the main process to reveal the path, and shows its refusal', async () => {
    let exists = true;
    const api = fakeApi({
      'desktop:show-in-folder': (r) => {
        if (!exists) throw new WorkbenchError('NOT_FOUND', `${r.path} does not exist`);
        return { ok: true as const };
      },
    });
    setApiClient(api.client);
    (window as { workbench?: unknown }).workbench = { pathForFile: () => '' };
    const wrapper = mount(ShowInFolder, { props: { path: '/ws/checkpoints/run-3', testid: 'show' } });
    await wrapper.get('[data-testid="show"]').trigger('click');
    await flushPromises();
    expect(api.calls).toEqual([{ channel: 'desktop:show-in-folder', request: { path: '/ws/checkpoints/run-3' } }]);
    exists = false;
    await wrapper.get('[data-testid="show"]').trigger('click');
    await flushPromises();
    expect(wrapper.text()).toContain('/ws/checkpoints/run-3 does not exist');
  });
});
