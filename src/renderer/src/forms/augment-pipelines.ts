/**
 * Editing an augmentation spec op by op: where its pipelines are (each view group's ops and the
 * jigsaw tiles' ops), and pure edits that return a new spec (add, remove, move, replace an op).
 */
import {
  OP_NAMES,
  OpSpec,
  type AugmentSpecInput,
  type OpSpecInput,
} from '../../../shared/schemas/augment';

export interface PipelineRef {
  label: string;
  /** Issue-path prefix of the op list: `views.0.ops` or `jigsaw.tileOps`. */
  path: string;
}

export type OpName = (typeof OP_NAMES)[number];
export { OP_NAMES };

/**
 * A deep copy of a spec. Specs are JSON data, and the ones held in stores are reactive proxies,
 * which `structuredClone` refuses.
 */
export function cloneSpec<T>(spec: T): T {
  return JSON.parse(JSON.stringify(spec)) as T;
}

export function pipelinesOf(spec: AugmentSpecInput): PipelineRef[] {
  const groups = spec.views.map((g, i) => ({
    label: `${g.name}${(g.count ?? 1) > 1 ? ` ×${g.count}` : ''}`,
    path: `views.${i}.ops`,
  }));
  return spec.jigsaw ? [...groups, { label: 'jigsaw tiles', path: 'jigsaw.tileOps' }] : groups;
}

export function opsAt(spec: AugmentSpecInput, path: string): OpSpecInput[] {
  if (path === 'jigsaw.tileOps') return spec.jigsaw?.tileOps ?? [];
  const match = /^views\.(\d+)\.ops$/.exec(path);
  return match ? (spec.views[Number(match[1])]?.ops ?? []) : [];
}

/** A copy of `spec` with the op list at `path` replaced. */
export function withOps(
  spec: AugmentSpecInput,
  path: string,
  ops: OpSpecInput[],
): AugmentSpecInput {
  const copy = cloneSpec(spec);
  if (path === 'jigsaw.tileOps') {
    if (copy.jigsaw) copy.jigsaw.tileOps = ops;
    return copy;
  }
  const match = /^views\.(\d+)\.ops$/.exec(path);
  const group = match ? copy.views[Number(match[1])] : undefined;
  if (group) group.ops = ops;
  return copy;
}

/** An op with every parameter at its schema default. */
export function defaultOp(name: OpName): OpSpecInput {
  return OpSpec.parse({ op: name }) as OpSpecInput;
}

export function addOp(ops: readonly OpSpecInput[], name: OpName): OpSpecInput[] {
  const op = defaultOp(name);
  // normalize must stay last: new ops go before it.
  const last = ops.at(-1);
  return last?.op === 'normalize' && name !== 'normalize'
    ? [...ops.slice(0, -1), op, last]
    : [...ops, op];
}

export function removeOp(ops: readonly OpSpecInput[], index: number): OpSpecInput[] {
  return ops.filter((_, i) => i !== index);
}

/** Move the op at `index` by `delta` places (clamped to the list). */
export function moveOp(ops: readonly OpSpecInput[], index: number, delta: number): OpSpecInput[] {
  const target = Math.max(0, Math.min(ops.length - 1, index + delta));
  if (target === index || !ops[index]) return [...ops];
  const out = [...ops];
  const [op] = out.splice(index, 1);
  out.splice(target, 0, op!);
  return out;
}

export function replaceOp(
  ops: readonly OpSpecInput[],
  index: number,
  op: OpSpecInput,
): OpSpecInput[] {
  return ops.map((o, i) => (i === index ? op : o));
}
