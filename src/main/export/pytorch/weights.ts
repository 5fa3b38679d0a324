/**
 * Encoder weights between the generated project's PyTorch model (models.ResNet: `stem.0.weight`,
 * `blocks.3.bn1.running_var`, `blocks.2.shortcut.0.weight` …) and the workbench's tfjs ResNet
 * (src/main/ssl/encoders/resnet.ts: `stem_conv/kernel`, `stage2_block2_bn1/moving_variance`,
 * `stage2_block1_proj/kernel` …). Convolution kernels: PyTorch [out, in, kh, kw] ↔ tfjs
 * [kh, kw, in, out]; BatchNorm weight/bias/running_mean/running_var ↔ gamma/beta/moving_mean/
 * moving_variance. Block i of the flat `blocks` list is stage s, block b by the plan's counts.
 */
import { WorkbenchError } from '../../../shared/errors';
import type { NamedTensor } from '../safetensors';
import type { EncoderPlan } from './plan';

const BN: Record<string, string> = { weight: 'gamma', bias: 'beta', running_mean: 'moving_mean', running_var: 'moving_variance' };
const BN_BACK: Record<string, string> = Object.fromEntries(Object.entries(BN).map(([k, v]) => [v, k]));

/** The tfjs block name (`stage2_block1`) of each entry of the flat `blocks` list. */
function blockNames(plan: Pick<EncoderPlan, 'blocks'>): string[] {
  return plan.blocks.flatMap((count, stage) => Array.from({ length: count }, (_, b) => `stage${stage + 1}_block${b + 1}`));
}

/** tfjs weight name for a PyTorch state-dict key, or null for keys without one (num_batches_tracked). */
export function tfjsWeightName(torchName: string, plan: Pick<EncoderPlan, 'blocks'>): string | null {
  if (torchName.endsWith('num_batches_tracked')) return null;
  let m = /^stem\.0\.weight$/.exec(torchName);
  if (m) return 'stem_conv/kernel';
  m = /^stem\.1\.(weight|bias|running_mean|running_var)$/.exec(torchName);
  if (m) return `stem_bn/${BN[m[1]!]}`;
  m = /^blocks\.(\d+)\.(conv\d|bn\d|shortcut\.0|shortcut\.1)\.(weight|bias|running_mean|running_var)$/.exec(torchName);
  const block = m ? blockNames(plan)[Number(m[1])] : undefined;
  if (!m || !block) throw new WorkbenchError('INVALID_INPUT', `encoder weight "${torchName}" does not belong to this encoder`);
  const layer = m[2] === 'shortcut.0' ? 'proj' : m[2] === 'shortcut.1' ? 'proj_bn' : m[2]!;
  if (layer.startsWith('conv') || layer === 'proj') {
    if (m[3] !== 'weight') throw new WorkbenchError('INVALID_INPUT', `encoder weight "${torchName}": convolutions have no ${m[3]}`);
    return `${block}_${layer}/kernel`;
  }
  return `${block}_${layer}/${BN[m[3]!]}`;
}

/** PyTorch state-dict key for a tfjs weight name (inverse of tfjsWeightName). */
export function torchWeightName(tfjsName: string, plan: Pick<EncoderPlan, 'blocks'>): string {
  if (tfjsName === 'stem_conv/kernel') return 'stem.0.weight';
  let m = /^stem_bn\/(gamma|beta|moving_mean|moving_variance)$/.exec(tfjsName);
  if (m) return `stem.1.${BN_BACK[m[1]!]}`;
  m = /^(stage\d+_block\d+)_(conv\d|bn\d|proj|proj_bn)\/(kernel|gamma|beta|moving_mean|moving_variance)$/.exec(tfjsName);
  const index = m ? blockNames(plan).indexOf(m[1]!) : -1;
  if (!m || index < 0) throw new WorkbenchError('INVALID_INPUT', `tfjs weight "${tfjsName}" does not belong to this encoder`);
  const layer = m[2] === 'proj' ? 'shortcut.0' : m[2] === 'proj_bn' ? 'shortcut.1' : m[2]!;
  return `blocks.${index}.${layer}.${m[3] === 'kernel' ? 'weight' : BN_BACK[m[3]!]}`;
}

/** Permute a row-major array of `shape` by `axes` (out.shape[i] = shape[axes[i]]). */
export function permute(t: NamedTensor, axes: number[]): NamedTensor {
  const shape = axes.map((a) => t.shape[a]!);
  const strides = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(t.data.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < shape.length; d++) src += index[d]! * strides[axes[d]!]!;
    out[o] = t.data[src]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  return { shape, data: out };
}

/** A PyTorch encoder state dict → tfjs encoder weights by name (conv kernels transposed). */
export function torchToTfjsEncoder(tensors: Readonly<Record<string, NamedTensor>>, plan: Pick<EncoderPlan, 'blocks'>): Record<string, NamedTensor> {
  const out: Record<string, NamedTensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    const target = tfjsWeightName(name, plan);
    if (target === null) continue;
    out[target] = target.endsWith('/kernel') ? permute(t, [2, 3, 1, 0]) : t;
  }
  return out;
}

/** tfjs encoder weights by name → a PyTorch state dict keyed like models.ResNet. */
export function tfjsToTorchEncoder(tensors: Readonly<Record<string, NamedTensor>>, plan: Pick<EncoderPlan, 'blocks'>): Record<string, NamedTensor> {
  const out: Record<string, NamedTensor> = {};
  for (const [name, t] of Object.entries(tensors)) out[torchWeightName(name, plan)] = name.endsWith('/kernel') ? permute(t, [3, 2, 0, 1]) : t;
  return out;
}
