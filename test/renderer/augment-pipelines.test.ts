import { describe, expect, it } from 'vitest';
import {
  addOp,
  defaultOp,
  moveOp,
  opsAt,
  pipelinesOf,
  removeOp,
  replaceOp,
  withOps,
} from '../../src/renderer/src/forms/augment-pipelines';
import { formatParams } from '../../src/renderer/src/format/params';
import { AugmentSpec, type AugmentSpecInput } from '../../src/shared/schemas/augment';

const spec: AugmentSpecInput = {
  kind: 'jigsaw',
  views: [
    { name: 'image', count: 1, ops: [{ op: 'horizontal-flip', p: 0.5 }, { op: 'normalize' }] },
  ],
  jigsaw: { grid: 3, tileOps: [{ op: 'grayscale', p: 0.2 }] },
};

describe('augmentation pipelines', () => {
  it('lists every view group and the jigsaw tiles as editable pipelines', () => {
    expect(pipelinesOf(spec)).toEqual([
      { label: 'image', path: 'views.0.ops' },
      { label: 'jigsaw tiles', path: 'jigsaw.tileOps' },
    ]);
    expect(opsAt(spec, 'jigsaw.tileOps')).toEqual([{ op: 'grayscale', p: 0.2 }]);
  });

  it('adds ops at their schema defaults, before a final normalize', () => {
    const ops = addOp(opsAt(spec, 'views.0.ops'), 'rotation');
    expect(ops.map((o) => o.op)).toEqual(['horizontal-flip', 'rotation', 'normalize']);
    expect(ops[1]).toEqual(defaultOp('rotation'));
    expect(defaultOp('rotation')).toMatchObject({ p: 1, degrees: [-30, 30], mode: 'continuous' });
  });

  it('moves, removes and replaces ops without touching the original spec', () => {
    const ops = opsAt(spec, 'views.0.ops');
    expect(moveOp(ops, 0, 1).map((o) => o.op)).toEqual(['normalize', 'horizontal-flip']);
    expect(moveOp(ops, 0, -1)).toEqual(ops);
    expect(removeOp(ops, 0)).toEqual([{ op: 'normalize' }]);
    const next = withOps(spec, 'views.0.ops', replaceOp(ops, 0, { op: 'horizontal-flip', p: 0.9 }));
    expect(next.views[0]!.ops[0]).toEqual({ op: 'horizontal-flip', p: 0.9 });
    expect(spec.views[0]!.ops[0]).toEqual({ op: 'horizontal-flip', p: 0.5 });
    expect(AugmentSpec.safeParse(next).success).toBe(true);
  });

  it('the schema still rejects a normalize moved before another op, by path', () => {
    const bad = withOps(spec, 'views.0.ops', moveOp(opsAt(spec, 'views.0.ops'), 1, -1));
    const result = AugmentSpec.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['views', 0, 'ops']);
  });
});

describe('sampled parameters', () => {
  it('prints nested values on one line with three significant digits', () => {
    expect(
      formatParams({ applied: true, box: [0.123456, 0.5], jitter: { brightness: 1.23456 } }),
    ).toBe('applied: yes · box: [0.123, 0.5] · jitter.brightness: 1.23');
    expect(formatParams(null)).toBe('—');
  });
});
