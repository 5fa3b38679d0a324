// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import ImageLightbox from '../../src/renderer/src/components/ImageLightbox.vue';
import { imageCaption } from '../../src/renderer/src/format/image-caption';

const src = 'data:image/png;base64,iVBORw0KGgo=';

function open(caption?: string[]) {
  return mount(ImageLightbox, { props: { src, alt: 'cat/1.png', ...(caption ? { caption } : {}) }, attachTo: document.body });
}

/** happy-dom decodes no images: give the <img> a natural size and fire its load. */
function loadAs(img: HTMLImageElement, width: number, height: number): void {
  Object.defineProperty(img, 'naturalWidth', { value: width });
  Object.defineProperty(img, 'naturalHeight', { value: height });
  img.dispatchEvent(new Event('load'));
}

describe('ImageLightbox', () => {
  it('shows the image with one caption line each, as an accessible dialog with focus on close', async () => {
    const wrapper = open(['/data/cat/1.png', '32×32 px', 'label: cat', 'split: val']);
    await nextTick();
    const dialog = wrapper.get('[data-testid="lightbox"]');
    expect(dialog.attributes('role')).toBe('dialog');
    expect(dialog.attributes('aria-modal')).toBe('true');
    expect(wrapper.get('[data-testid="lightbox-image"]').attributes('src')).toBe(src);
    const lines = wrapper.findAll('[data-testid="lightbox-caption"] span');
    expect(lines.map((l) => l.text())).toEqual(['/data/cat/1.png', '32×32 px', 'label: cat', 'split: val']);
    expect(lines[0]?.attributes('title')).toBe('/data/cat/1.png');
    expect(document.activeElement).toBe(wrapper.get('[data-testid="lightbox-close"]').element);
    wrapper.unmount();
  });

  it('draws small images pixelated and large ones smooth', async () => {
    const wrapper = open();
    const img = wrapper.get('[data-testid="lightbox-image"]');
    loadAs(img.element as HTMLImageElement, 28, 28);
    await nextTick();
    expect(img.classes()).toContain('pixelated');
    wrapper.unmount();
    const big = open();
    const bigImg = big.get('[data-testid="lightbox-image"]');
    loadAs(bigImg.element as HTMLImageElement, 512, 384);
    await nextTick();
    expect(bigImg.classes()).not.toContain('pixelated');
    expect(big.find('[data-testid="lightbox-caption"]').exists()).toBe(false);
    big.unmount();
  });

  it('closes on Esc, on a click outside the image and on ×, but not on a click on the image', async () => {
    const wrapper = open(['x']);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(wrapper.emitted('close')).toBeUndefined();
    await wrapper.get('[data-testid="lightbox-image"]').trigger('click');
    expect(wrapper.emitted('close')).toBeUndefined();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(wrapper.emitted('close')).toHaveLength(1);
    await wrapper.get('[data-testid="lightbox"]').trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(2);
    await wrapper.get('[data-testid="lightbox-close"]').trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(3);
    const closes = wrapper.emitted('close')!;
    wrapper.unmount();
    // Unmounted, it no longer listens.
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(closes).toHaveLength(3);
  });

  it('returns focus to what opened it', async () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const wrapper = open();
    await nextTick();
    expect(document.activeElement).not.toBe(opener);
    wrapper.unmount();
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });
});

describe('imageCaption', () => {
  it('gives the full path, the size, the label and the split', () => {
    const image = { relPath: 'cat/1.png', width: 640, height: 480, label: 'cat', split: 'train' };
    expect(imageCaption(image, '/home/me/pets/')).toEqual(['/home/me/pets/cat/1.png', '640×480 px', 'label: cat', 'split: train']);
    expect(imageCaption({ ...image, label: null, width: 0 })).toEqual(['cat/1.png', 'size unknown', 'label: unlabelled', 'split: train']);
  });
});
