/**
 * src/main/export/pytorch/method-weights.ts: every tfjs method's state has a PyTorch place, and
 * tfjs → PyTorch → tfjs gives back every tensor unchanged (that tfjs → PyTorch is right is shown by
 * the same-loss test, pytorch-same-loss.test.ts). Unknown state names and misfitting tensors are refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/compute/tf';
import { methodPlaces, tfjsToTorchMethod, torchToTfjsMethod } from '../../../src/main/export/pytorch/method-weights';
import type { NamedTensor } from '../../../src/main/export/safetensors';
import { loadMethodPreset } from '../../../src/main/services/presets';
import { createMethod } from '../../../src/main/ssl/methods/index';
import { mergeMethodConfig, type MethodConfig } from '../../../src/shared/schemas/method';

beforeAll(async () => {
  await initBackend('cpu');
});

const METHODS: MethodConfig['method'][] = ['simclr', 'memory-bank', 'moco', 'swav', 'pirl', 'triplet', 'margin-contrastive', 'byol', 'simsiam', 'barlow-twins', 'vicreg', 'dino', 'autoencoder'];

async function stateOf(name: MethodConfig['method']): Promise<{ config: MethodConfig; state: Record<string, NamedTensor> }> {
  const config = mergeMethodConfig(loadMethodPreset(name), name === 'moco' ? { queueSize: 16 } : {});
  const method = createMethod(name, config, { imageSize: 16, channels: 3, datasetSize: 8, seed: 1 });
  try {
    return { config, state: (await method.getState()) as Record<string, NamedTensor> };
  } finally {
    method.dispose();
  }
}

describe('method state between the engines', () => {
  it.each(METHODS)('%s: tfjs → PyTorch → tfjs is the identity, one PyTorch name per tensor', async (name) => {
    const { config, state } = await stateOf(name);
    const torch = tfjsToTorchMethod(state, config);
    const places = Object.values(methodPlaces(state, config)).map((p) => p.torch);
    expect(new Set(places).size).toBe(places.length);
    const back = torchToTfjsMethod(torch, state, config);
    for (const [key, t] of Object.entries(state)) {
      if (['random', 'steps', 'queued'].includes(key)) continue;
      expect(back[key]?.shape, key).toEqual(t.shape);
      expect(Array.from(back[key]!.data)).toEqual(Array.from(t.data));
    }
  });

  it('the decoder Dense reorders its units (h, w, c) → (c, h, w); kernels are transposed', async () => {
    const { config, state } = await stateOf('autoencoder');
    const torch = tfjsToTorchMethod(state, config);
    const kernel = state['decoder/decoder_dense/kernel']!;
    const [latent, units] = kernel.shape as [number, number];
    const weight = torch['ae.decoder.dense.weight']!;
    expect(weight.shape).toEqual([units, latent]);
    const base = config.method === 'autoencoder' ? config.decoderChannels : 0;
    const side = Math.sqrt(units / base);
    // tfjs unit (h=1, w=2, c=3) is PyTorch unit (c=3, h=1, w=2); latent row 5.
    expect(weight.data[(3 * side * side + 1 * side + 2) * latent + 5]).toBe(kernel.data[5 * units + (1 * side + 2) * base + 3]);
    expect(torch['ae.decoder.body.0.weight']!.shape).toEqual([...state['decoder/decoder_up1/kernel']!.shape].reverse().slice(0, 2).concat(state['decoder/decoder_up1/kernel']!.shape.slice(0, 2)));
  });

  it('refuses a state name without a place and a tensor that does not fit', async () => {
    const { config, state } = await stateOf('simclr');
    expect(() => tfjsToTorchMethod({ ...state, 'mystery/x': { shape: [1], data: new Float32Array(1) } }, config)).toThrow('no PyTorch place for the tfjs state "mystery/x"');
    const torch = tfjsToTorchMethod(state, config);
    expect(() => torchToTfjsMethod({ ...torch, 'network.head.0.weight': { shape: [2], data: new Float32Array(2) } }, state, config)).toThrow('does not fit');
  });
});
