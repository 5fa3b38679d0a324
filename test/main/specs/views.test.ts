import { describe, expect, it } from 'vitest';
import { fitAugmentToMethod, viewsPerStep } from '../../../src/main/specs/views';
import { loadAugmentPreset } from '../../../src/main/augment/presets';

describe('fitting augmentation specs to methods', () => {
  it('gives SwAV the crop counts and small-crop size of its method config', () => {
    const spec = fitAugmentToMethod(loadAugmentPreset('swav-multicrop'), { kind: 'multi-crop', large: 2, small: 4, smallSize: 12 }, 32);
    expect(spec.views.map((v) => v.count)).toEqual([2, 4]);
    expect(spec.views[1]!.size).toEqual({ relative: 12 / 32 });
  });

  it('builds one view for a memory bank and refuses an incompatible kind, naming both', () => {
    const single = fitAugmentToMethod(loadAugmentPreset('simclr'), { kind: 'single' }, 32);
    expect(single.kind).toBe('single');
    expect(single.views.map((v) => v.count)).toEqual([1]);
    expect(() => fitAugmentToMethod(loadAugmentPreset('simclr'), { kind: 'jigsaw', grid: 3 }, 32)).toThrow(/needs "jigsaw" views.*makes "pair" views/);
  });

  it('counts the views of a step', () => {
    expect(viewsPerStep({ kind: 'pair' }, 8)).toBe(16);
    expect(viewsPerStep({ kind: 'multi-crop', large: 2, small: 6, smallSize: 8 }, 8)).toBe(64);
    expect(viewsPerStep({ kind: 'jigsaw', grid: 3 }, 2)).toBe(20);
    expect(viewsPerStep({ kind: 'single' }, 5)).toBe(5);
  });
});
