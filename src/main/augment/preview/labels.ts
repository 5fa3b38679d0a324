/** Short human captions of sampled parameters ("crop s=0.31 r=1.20, jitter b×1.20 …") for previews. */
import type { OpParams } from '../op';
import type { OpRecord } from '../pipeline';

const f2 = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : '?');
const f1 = (v: unknown) => (typeof v === 'number' ? v.toFixed(1) : '?');
const signed = (v: unknown) =>
  typeof v === 'number' ? `${v >= 0 ? '+' : ''}${v.toFixed(2)}` : '?';

/** One op's parameters for one image, or undefined when the op was not applied. */
export function describeOp(op: OpRecord['op'], q: OpParams): string | undefined {
  if (!q.applied) return undefined;
  switch (op) {
    case 'random-resized-crop':
      return `crop s=${f2(q['scale'])} r=${f2(q['ratio'])}`;
    case 'horizontal-flip':
      return 'hflip';
    case 'vertical-flip':
      return 'vflip';
    case 'rotation':
      return `rot ${f1(q['degrees'])}°`;
    case 'affine': {
      const [dx, dy] = (q['translate'] as number[] | undefined) ?? [];
      return `affine ${f1(q['degrees'])}° t=(${f1(dx)},${f1(dy)}) ×${f2(q['scale'])} sh ${f1(q['shear'])}°`;
    }
    case 'color-jitter':
      return `jitter b×${f2(q['brightness'])} c×${f2(q['contrast'])} s×${f2(q['saturation'])} h${signed(q['hue'])}`;
    case 'grayscale':
      return 'gray';
    case 'gaussian-blur':
      return `blur σ=${f2(q['sigma'])}`;
    case 'solarize':
      return 'solarize';
    case 'normalize':
      return 'normalize';
    case 'resize':
      return `resize ${String(q['height'])}×${String(q['width'])}`;
  }
}

/** Caption of one image of a view: its applied ops in order. */
export function describeView(ops: readonly OpRecord[], index: number): string {
  return ops
    .map((record) => {
      const q = record.params[index];
      return q ? describeOp(record.op, q) : undefined;
    })
    .filter((s): s is string => !!s)
    .join(', ');
}
