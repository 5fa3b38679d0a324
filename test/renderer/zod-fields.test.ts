import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  describeField,
  describeObject,
  sliderBounds,
  wantsSlider,
} from '../../src/renderer/src/forms/zod-fields';
import {
  ColorJitterSpec,
  OpSpec,
  RandomResizedCropSpec,
} from '../../src/shared/schemas/augment';

describe('form fields from zod schemas (through z.toJSONSchema)', () => {
  it('reads bounds, integers, defaults and optionality', () => {
    expect(describeField('lr', z.number().positive().max(3).default(1))).toEqual({
      key: 'lr',
      optional: false,
      defaultValue: 1,
      kind: 'number',
      integer: false,
      min: 0,
      exclusiveMin: true,
      max: 3,
    });
    expect(describeField('n', z.number().int().min(2).max(9).optional())).toEqual({
      key: 'n',
      optional: true,
      kind: 'integer',
      integer: true,
      min: 2,
      max: 9,
    });
    expect(
      describeField('s', z.tuple([z.number().min(Number.MIN_VALUE).max(1), z.number()])),
    ).toMatchObject({ kind: 'pair', min: 0, max: 1 });
    expect(describeField('xs', z.array(z.number().min(0)).nullable())).toMatchObject({
      kind: 'numbers',
      optional: true,
      min: 0,
    });
  });

  it('offers enums, booleans and text, and skips literals and objects (a transform shows its input side)', () => {
    const fields = describeObject(
      z.object({
        op: z.literal('blur'),
        mode: z.enum(['a', 'b']).default('b'),
        on: z.boolean(),
        name: z.string().optional(),
        nested: z.object({ x: z.number() }),
        length: z.string().transform((s) => s.length),
      }),
      ['name'],
    );
    expect(fields).toEqual([
      { key: 'mode', optional: false, defaultValue: 'b', kind: 'enum', options: ['a', 'b'] },
      { key: 'on', optional: false, kind: 'boolean' },
      { key: 'length', optional: false, kind: 'text' },
    ]);
  });
});

describe('slider bounds (issue 17 §4: sliders stop at valid bounds)', () => {
  it('a slider over an exclusive minimum starts one step inside it; inclusive bounds are the schema’s', () => {
    const scale = describeObject(RandomResizedCropSpec).find((f) => f.key === 'scale')!;
    expect(scale).toMatchObject({ kind: 'pair', min: 0, max: 1, exclusiveMin: true });
    expect(sliderBounds(scale)).toEqual({ min: 0.01, max: 1 });
    expect(RandomResizedCropSpec.safeParse({ op: 'random-resized-crop', scale: [0.01, 1] }).success).toBe(true);
    expect(RandomResizedCropSpec.safeParse({ op: 'random-resized-crop', scale: [0, 1] }).success).toBe(false);
    const hue = describeObject(ColorJitterSpec).find((f) => f.key === 'hue')!;
    expect(sliderBounds(hue)).toEqual({ min: 0, max: 0.5 });
  });

  it('every slider of every op stops at values its schema accepts', () => {
    for (const schema of OpSpec.options) {
      const op = schema.shape.op.value;
      for (const field of describeObject(schema, ['op'])) {
        // Sliders are drawn for single numbers and [lo, hi] pairs.
        if (!wantsSlider(field) || !['number', 'integer', 'pair'].includes(field.kind)) continue;
        const { min, max } = sliderBounds(field);
        for (const v of [min, max]) {
          const value = field.kind === 'pair' ? [v, v] : v;
          const parsed = schema.safeParse({ op, [field.key]: value });
          expect(parsed.success, `${op}.${field.key} = ${JSON.stringify(value)}`).toBe(true);
        }
      }
    }
  });
});
