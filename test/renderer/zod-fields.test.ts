import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeField, describeObject } from '../../src/renderer/src/forms/zod-fields';

describe('form fields from zod schemas (through z.toJSONSchema)', () => {
  it('reads bounds, integers, defaults and optionality', () => {
    expect(describeField('lr', z.number().positive().max(3).default(1))).toEqual({
      key: 'lr',
      optional: false,
      defaultValue: 1,
      kind: 'number',
      integer: false,
      min: 0,
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
