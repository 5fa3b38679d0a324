/**
 * A whole tfjs method's state (src/main/ssl/methods/*: encoders, projection heads, predictors,
 * momentum copies, prototypes, queues, banks, DINO's centre, the autoencoder's decoder) as the
 * tensors of the generated project's PyTorch method (resources/pytorch-project/methods.py …),
 * keyed by their dotted path from the method object: `network.head.0.weight`,
 * `target.network.encoder.stem.0.weight`, `swav.prototypes`, `bank.entries`, `center`.
 * workbench.assign_method_tensors puts them in place. Used to give both engines the same state
 * (the same-loss tests) and to bring a PyTorch autoencoder's decoder back.
 *
 * Layouts: Dense kernel [in, out] ↔ Linear weight [out, in]; convolution kernel [kh, kw, in, out]
 * ↔ [out, in, kh, kw]; transposed convolution [kh, kw, out, in] ↔ ConvTranspose2d [in, out, kh, kw];
 * the decoder's first Dense reshapes to [s, s, c] in tfjs and [c, s, s] in PyTorch, so its units are
 * reordered. Seeded counters (`random`, `steps`, `queued`) have no tensor on the PyTorch side.
 */
import { WorkbenchError } from '../../../shared/errors';
import type { MethodConfig } from '../../../shared/schemas/method';
import type { NamedTensor } from '../safetensors';
import { encoderPlan } from './plan';
import { permute, torchWeightName } from './weights';

/** The tfjs network prefixes of each method → the PyTorch attribute path of the same Network. */
const NETWORKS: Record<MethodConfig['method'], Record<string, string>> = {
  simclr: { online: 'network' },
  'memory-bank': { online: 'network' },
  moco: { query: 'query', key: 'key' },
  swav: { online: 'swav.network' },
  pirl: { online: 'pirl.network' },
  triplet: { online: 'network' },
  'margin-contrastive': { online: 'network' },
  byol: { online: 'online.network', target: 'target.network' },
  simsiam: { online: 'online.network' },
  'barlow-twins': { online: 'network' },
  vicreg: { online: 'network' },
  dino: { student: 'network', teacher: 'teacher.network' },
  autoencoder: { online: 'ae.network' },
};

/** Plain tensors of the tfjs state → their PyTorch attribute. */
const TENSORS: Record<string, string> = { prototypes: 'swav.prototypes', queue: 'queue', bank: 'bank.entries', center: 'center' };

const COUNTERS = new Set(['random', 'steps', 'queued']);
const BN_NAMES: Record<string, string> = { gamma: 'weight', beta: 'bias', moving_mean: 'running_mean', moving_variance: 'running_var' };

type Blocks = readonly { batchNorm: boolean; activation: string }[];

/** `head_dense2/kernel` of a head built from `blocks` → the index and name in its torch Sequential. */
function sequentialName(layer: string, weight: string, blocks: Blocks, what: string): string {
  const m = /_(dense|bn)(\d+)$/.exec(layer);
  const b = m ? Number(m[2]) - 1 : -1;
  if (!m || !blocks[b]) throw new WorkbenchError('INVALID_INPUT', `${what}: no layer ${layer} in this head`);
  // Linear, [BatchNorm1d], [ReLU] per block.
  let index = 0;
  for (let i = 0; i < b; i++) index += 1 + (blocks[i]!.batchNorm ? 1 : 0) + (blocks[i]!.activation === 'relu' ? 1 : 0);
  if (m[1] === 'bn') return `${index + 1}.${BN_NAMES[weight] ?? weight}`;
  return `${index}.${weight === 'kernel' ? 'weight' : weight}`;
}

/** How one tfjs tensor becomes its PyTorch tensor and back: a view, a permutation of axes, a reshape. */
interface Place {
  torch: string;
  /** Axes of the permutation applied to the tfjs layout (none: the same layout). */
  axes?: number[];
  /** The tfjs tensor viewed with this shape before permuting (the decoder's units as [s, s, c]) … */
  view?: number[];
  /** … and the PyTorch tensor's shape after. */
  torchShape?: number[];
}

const DENSE = [1, 0];
const CONV = [3, 2, 0, 1];

function inverse(axes: number[]): number[] {
  const out = new Array<number>(axes.length);
  axes.forEach((a, i) => (out[a] = i));
  return out;
}

/** The decoder's layers (conv-decoder.ts) → ConvDecoder in noncontrastive_methods.py. */
function decoderPlace(layer: string, weight: string, shape: readonly number[], base: number, upsamplings: number): Place {
  const param = weight === 'kernel' ? 'weight' : 'bias';
  if (layer === 'decoder_dense') {
    const units = shape.at(-1)!;
    const side = Math.round(Math.sqrt(units / base));
    if (side * side * base !== units) throw new WorkbenchError('INVALID_INPUT', `decoder_dense has ${units} units, not s·s·${base}`);
    // Units (h, w, c) in tfjs, (c, h, w) in PyTorch.
    if (weight === 'bias') return { torch: 'ae.decoder.dense.bias', view: [side, side, base], axes: [2, 0, 1], torchShape: [units] };
    return { torch: 'ae.decoder.dense.weight', view: [shape[0]!, side, side, base], axes: [3, 1, 2, 0], torchShape: [units, shape[0]!] };
  }
  const up = /^decoder_up(\d+)$/.exec(layer);
  // [ConvTranspose2d, ReLU] per upsampling, then the output convolution.
  const index = up ? 2 * (Number(up[1]) - 1) : layer === 'decoder_out' ? 2 * upsamplings : -1;
  if (index < 0) throw new WorkbenchError('INVALID_INPUT', `no decoder layer ${layer}`);
  return { torch: `ae.decoder.body.${index}.${param}`, ...(weight === 'kernel' ? { axes: CONV } : {}) };
}

/**
 * Where each tensor of a tfjs method's `getState()` lives in the PyTorch method (seeded counters
 * have no place). Throws on a name it does not know (a method changed on one side only).
 */
export function methodPlaces(state: Readonly<Record<string, { shape: readonly number[] }>>, method: MethodConfig): Record<string, Place> {
  const plan = encoderPlan(method);
  const networks = NETWORKS[method.method];
  const upsamplings = Object.keys(state).filter((k) => /^decoder\/decoder_up\d+\/kernel$/.test(k)).length;
  const places: Record<string, Place> = {};
  for (const [key, t] of Object.entries(state)) {
    if (COUNTERS.has(key)) continue;
    const parts = key.split('/');
    const [root, section, layer, weight] = parts;
    const torchNet = networks[root!];
    const kernel = parts.at(-1) === 'kernel';
    if (TENSORS[key]) places[key] = { torch: TENSORS[key] };
    else if (torchNet && section === 'encoder') places[key] = { torch: `${torchNet}.encoder.${torchWeightName(parts.slice(2).join('/'), plan)}`, ...(kernel ? { axes: CONV } : {}) };
    else if (torchNet && section === 'head' && layer === 'head_last' && weight === 'kernel_v') places[key] = { torch: `${torchNet}.last_layer.weight_v`, axes: DENSE }; // DINO's weight-normalised last layer
    else if (torchNet && section === 'head' && parts.length === 4) places[key] = { torch: `${torchNet}.head.${sequentialName(layer!, weight!, method.head, key)}`, ...(kernel ? { axes: DENSE } : {}) };
    else if (root === 'predictor' && parts.length === 3 && 'predictor' in method) {
      places[key] = { torch: `${networks['online']!.replace(/network$/, 'predictor')}.${sequentialName(section!, layer!, method.predictor, key)}`, ...(kernel ? { axes: DENSE } : {}) };
    } else if (root === 'jigsaw' && parts.length === 3) places[key] = { torch: `pirl.${section}.${kernel ? 'weight' : 'bias'}`, ...(kernel ? { axes: DENSE } : {}) };
    else if (root === 'decoder' && parts.length === 3 && method.method === 'autoencoder') places[key] = decoderPlace(section!, layer!, t.shape, method.decoderChannels, upsamplings);
    else throw new WorkbenchError('INVALID_INPUT', `${method.method}: no PyTorch place for the tfjs state "${key}"`);
  }
  return places;
}

/** Every tensor of a tfjs method's state under its PyTorch name, in PyTorch's layout. */
export function tfjsToTorchMethod(state: Readonly<Record<string, NamedTensor>>, method: MethodConfig): Record<string, NamedTensor> {
  const out: Record<string, NamedTensor> = {};
  for (const [key, place] of Object.entries(methodPlaces(state, method))) {
    const t = state[key]!;
    const viewed = place.view ? { shape: place.view, data: t.data } : t;
    const moved = place.axes ? permute(viewed, place.axes) : viewed;
    out[place.torch] = place.torchShape ? { shape: place.torchShape, data: moved.data } : moved;
  }
  return out;
}

/**
 * The tensors of `torch` (PyTorch names and layout) that have a place in the tfjs method's state,
 * as tfjs state entries (the others are left out); a shape that does not fit is an error.
 */
export function torchToTfjsMethod(torch: Readonly<Record<string, NamedTensor>>, state: Readonly<Record<string, NamedTensor>>, method: MethodConfig): Record<string, NamedTensor> {
  const out: Record<string, NamedTensor> = {};
  for (const [key, place] of Object.entries(methodPlaces(state, method))) {
    const t = torch[place.torch];
    if (!t) continue;
    const want = state[key]!.shape;
    const size = want.reduce((a, b) => a * b, 1);
    if (t.data.length !== size) throw new WorkbenchError('INVALID_INPUT', `${place.torch}: ${t.shape.join('×')} does not fit the tfjs ${key} (${want.join('×')})`);
    if (!place.axes) {
      out[key] = { shape: [...want], data: t.data };
      continue;
    }
    // The PyTorch tensor viewed in the permuted layout, permuted back, then given the tfjs shape.
    const from = place.view ?? want;
    const permutedShape = place.axes.map((a) => from[a]!);
    out[key] = { shape: [...want], data: permute({ shape: permutedShape, data: t.data }, inverse(place.axes)).data };
  }
  return out;
}
