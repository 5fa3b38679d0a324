// @vitest-environment happy-dom
/** Issue 17 §4: a pair's sliders stop at each other and at the schema's valid ends. */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import SchemaField from '../../src/renderer/src/components/forms/SchemaField.vue';
import { describeObject } from '../../src/renderer/src/forms/zod-fields';
import { RandomResizedCropSpec } from '../../src/shared/schemas/augment';

const scale = describeObject(RandomResizedCropSpec).find((f) => f.key === 'scale')!;

function ranges(modelValue: unknown): { min: string; max: string }[] {
  const wrapper = mount(SchemaField, { props: { field: scale, modelValue, idPrefix: 't' } });
  return wrapper.findAll('input[type="range"]').map((r) => ({
    min: r.attributes('min')!,
    max: r.attributes('max')!,
  }));
}

describe('pair sliders', () => {
  it('the low slider stops at the high end and the high slider at the low end', () => {
    expect(ranges([0.2, 0.6])).toEqual([
      { min: '0.01', max: '0.6' },
      { min: '0.2', max: '1' },
    ]);
  });

  it('fall back to the schema’s bounds while the other end is not a number', () => {
    expect(ranges(['', 0.6])).toEqual([
      { min: '0.01', max: '0.6' },
      { min: '0.01', max: '1' },
    ]);
  });
});
