// @vitest-environment happy-dom
/**
 * The desktop menu's commands (`app:menu`, sent by the Electron main process) reaching the page: the
 * real App, router and Datasets view. View → <name> opens that view; File → Import Folder… opens
 * Datasets with the picked folder already in the import form; File → Export… opens Export.
 */
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../src/renderer/src/App.vue';
import { setApiClient } from '../../src/renderer/src/api/client';
import { createAppRouter } from '../../src/renderer/src/router';
import { fakeApi } from './fake-api';

beforeEach(() => setActivePinia(createPinia()));

const stubs = { 'v-chart': { template: '<div class="chart-stub" />', props: ['option'] } };

describe('application menu commands in the page', () => {
  it('navigate to a view, and Import Folder… fills the import form on Datasets', async () => {
    const api = fakeApi({ 'datasets:list': () => [] });
    setApiClient(api.client);
    const router = createAppRouter();
    await router.push('/runs');
    const wrapper = mount(App, { global: { plugins: [router], stubs }, attachTo: document.body });
    await flushPromises();

    api.emit('app:menu', { command: 'navigate', view: 'export' });
    // The views are lazy chunks: wait for the navigation, not a fixed tick.
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/export'), { timeout: 10_000 });

    api.emit('app:menu', { command: 'import-folder', path: '/home/me/pictures/pets' });
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/datasets'), { timeout: 10_000 });
    expect(router.currentRoute.value.query).toEqual({ dir: '/home/me/pictures/pets' });
    await vi.waitFor(() => expect((wrapper.find('input[data-testid="import-dir"]').element as HTMLInputElement | undefined)?.value).toBe('/home/me/pictures/pets'), { timeout: 10_000 });
    wrapper.unmount();
  });
});
