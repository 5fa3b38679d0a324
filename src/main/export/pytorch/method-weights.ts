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
import { permute, tfjsToTorchEncoder } from './weights';

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

function dense(t: NamedTensor): NamedTensor {
  return permute(t, [1, 0]);
}

/** The decoder's layers (conv-decoder.ts) → ConvDecoder in noncontrastive_methods.py. */
function decoderTensor(layer: string, weight: string, t: NamedTensor, base: number): [string, NamedTensor] {
  if (layer === 'decoder_dense') {
    const units = t.shape.at(-1)!;
    const side = Math.round(Math.sqrt(units / base));
    if (side * side * base !== units) throw new WorkbenchError('INVALID_INPUT', `decoder_dense has ${units} units, not s·s·${base}`);
    // Units (h, w, c) → (c, h, w).
    if (weight === 'bias') return ['ae.decoder.dense.bias', reshape(permute({ shape: [side, side, base], data: t.data }, [2, 0, 1]), [units])];
    const latent = t.shape[0]!;
    return ['ae.decoder.dense.weight', reshape(permute({ shape: [latent, side, side, base], data: t.data }, [3, 1, 2, 0]), [units, latent])];
  }
  const up = /^decoder_up(\d+)$/.exec(layer);
  const count = (i: number): string => `ae.decoder.body.${i}.${weight === 'kernel' ? 'weight' : 'bias'}`;
  if (up) return [count(2 * (Number(up[1]) - 1)), weight === 'kernel' ? permute(t, [3, 2, 0, 1]) : t];
  if (layer === 'decoder_out') return [`ae.decoder.body.-1.${weight === 'kernel' ? 'weight' : 'bias'}`, weight === 'kernel' ? permute(t, [3, 2, 0, 1]) : t];
  throw new WorkbenchError('INVALID_INPUT', `no decoder layer ${layer}`);
}

function reshape(t: NamedTensor, shape: number[]): NamedTensor {
  return { shape, data: t.data };
}

/**
 * Every tensor of a tfjs method's `getState()` under its PyTorch name. Throws on a name it does not
 * know (a method changed on one side only).
 */
export function tfjsToTorchMethod(state: Readonly<Record<string, NamedTensor>>, method: MethodConfig): Record<string, NamedTensor> {
  const plan = encoderPlan(method);
  const networks = NETWORKS[method.method];
  const out: Record<string, NamedTensor> = {};
  const encoders: Record<string, Record<string, NamedTensor>> = {};
  let ups = 0;
  for (const [key, t] of Object.entries(state)) {
    if (COUNTERS.has(key)) continue;
    if (TENSORS[key]) {
      out[TENSORS[key]] = t;
      continue;
    }
    const parts = key.split('/');
    const [root, section] = parts;
    const torchNet = networks[root!];
    if (torchNet && section === 'encoder') {
      (encoders[torchNet] ??= {})[parts.slice(2).join('/')] = t;
    } else if (torchNet && section === 'head' && parts.length === 4) {
      out[`${torchNet}.head.${sequentialName(parts[2]!, parts[3]!, method.head, key)}`] = parts[3] === 'kernel' ? dense(t) : t;
    } else if (root === 'predictor' && parts.length === 3 && 'predictor' in method) {
      const owner = networks['online']!.replace(/network$/, 'predictor');
      out[`${owner}.${sequentialName(section!, parts[2]!, method.predictor, key)}`] = parts[2] === 'kernel' ? dense(t) : t;
    } else if (root === 'jigsaw' && parts.length === 3) {
      out[`pirl.${section}.${parts[2] === 'kernel' ? 'weight' : 'bias'}`] = parts[2] === 'kernel' ? dense(t) : t;
    } else if (root === 'decoder' && parts.length === 3 && method.method === 'autoencoder') {
      const [name, tensor] = decoderTensor(section!, parts[2]!, t, method.decoderChannels);
      if (/^decoder_up/.test(section!)) ups = Math.max(ups, Number(section!.slice('decoder_up'.length)));
      out[name] = tensor;
    } else {
      throw new WorkbenchError('INVALID_INPUT', `${method.method}: no PyTorch place for the tfjs state "${key}"`);
    }
  }
  for (const [name, t] of Object.entries(out)) {
    if (name.startsWith('ae.decoder.body.-1.')) {
      delete out[name];
      out[name.replace('.-1.', `.${2 * ups}.`)] = t;
    }
  }
  for (const [torchNet, weights] of Object.entries(encoders)) for (const [k, v] of Object.entries(tfjsToTorchEncoder(weights, plan))) out[`${torchNet}.encoder.${k}`] = v;
  return out;
}
