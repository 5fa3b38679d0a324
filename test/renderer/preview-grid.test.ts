// @vitest-environment happy-dom
/** Issue 17 §4: preview views at their true relative size, every column present, click to enlarge. */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import PreviewGrid from '../../src/renderer/src/components/augment/PreviewGrid.vue';
import type { PreviewReply } from '../../src/renderer/src/stores/augment';

const png = (n: number) => `data:image/png;base64,${'A'.repeat(n)}==`;
const names = ['global', 'global', ...Array(10).fill('local')] as string[];
const preview: PreviewReply = {
  previewId: 1,
  grid: png(1),
  viewNames: names,
  viewSizes: names.map((n) => (n === 'global' ? 28 : 12)),
  items: [0, 1].map((i) => ({ original: png(2 + i), views: names.map((_, v) => png(4 + v)) })),
  params: [{}, {}],
};

describe('PreviewGrid', () => {
  it('draws all 2 + 10 DINO-style columns, local images at 12/28 of the global width', () => {
    const wrapper = mount(PreviewGrid, { props: { preview, selected: 0 } });
    expect(wrapper.findAll('[data-testid="preview-row-0"] td')).toHaveLength(13);
    const share = (c: number) =>
      parseFloat((wrapper.findAll('col')[c]!.element as HTMLElement).style.width);
    const width = (v: number) =>
      share(v + 1) *
      parseFloat(
        (wrapper.get(`[data-testid="preview-view-0-${v}"]`).element as HTMLElement).style.width,
      );
    expect(width(5) / width(0)).toBeCloseTo(12 / 28, 3);
    const total = wrapper.findAll('col').reduce((sum, _, c) => sum + share(c), 0);
    expect(total).toBeCloseTo(100, 3);
  });

  it('a click on a view selects its row and enlarges it with its column and size; Esc closes', async () => {
    const wrapper = mount(PreviewGrid, {
      props: { preview, selected: 0 },
      attachTo: document.body,
    });
    expect(wrapper.find('[data-testid="lightbox"]').exists()).toBe(false);
    await wrapper.get('[data-testid="preview-view-1-3"]').trigger('click');
    expect(wrapper.emitted('select')).toEqual([[1]]);
    expect(wrapper.get('[data-testid="lightbox-image"]').attributes('src')).toBe(png(7));
    expect(wrapper.get('[data-testid="lightbox-caption"]').text()).toContain('image 1 · local');
    expect(wrapper.get('[data-testid="lightbox-caption"]').text()).toContain('12×12 px');
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-testid="lightbox"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
