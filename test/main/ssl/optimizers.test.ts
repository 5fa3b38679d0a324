import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '../../../src/main/ssl/optimizers';
import { initBackend, tf } from '../../../src/main/compute/tf';

beforeAll(async () => {
  await initBackend('cpu');
});

/** One step of `config` on w (matrix) and b (vector) with gradients gw, gb; returns the new values. */
function step(config: Parameters<typeof createOptimizer>[0], w: number[][], b: number[], gw: number[][], gb: number[]) {
  const vw = tf.variable(tf.tensor2d(w), true, `w${Math.random()}`);
  const vb = tf.variable(tf.tensor1d(b), true, `b${Math.random()}`);
  const opt = createOptimizer(config, () => [vw, vb]);
  const grads = { [vw.name]: tf.tensor2d(gw), [vb.name]: tf.tensor1d(gb) };
  const before = tf.memory().numTensors;
  opt.applyGradients(grads);
  const leaked = tf.memory().numTensors - before;
  const out = { w: vw.arraySync() as number[][], b: vb.arraySync() as number[], leaked };
  tf.dispose([vw, vb, ...Object.values(grads)]);
  opt.dispose();
  return out;
}

describe('optimisers', () => {
  it('SGD adds coupled L2 decay to matrices only', () => {
    const r = step({ name: 'sgd', learningRate: 0.1, momentum: 0, weightDecay: 0.5 }, [[2, 0]], [4], [[1, 1]], [1]);
    // w ← w − lr·(g + λw); biases: w ← w − lr·g
    expect(r.w[0]![0]).toBeCloseTo(2 - 0.1 * (1 + 1), 6);
    expect(r.w[0]![1]).toBeCloseTo(0 - 0.1 * 1, 6);
    expect(r.b[0]).toBeCloseTo(4 - 0.1, 6);
  });

  it('AdamW decays decoupled from the adaptive step', () => {
    const plain = step({ name: 'adam', learningRate: 0.01, weightDecay: 0 }, [[1, 1]], [1], [[1, -1]], [1]);
    const decayed = step({ name: 'adamw', learningRate: 0.01, weightDecay: 0.1 }, [[1, 1]], [1], [[1, -1]], [1]);
    // Adam's first step moves by lr·sign(g); AdamW first shrinks w by (1 − lr·λ).
    expect(plain.w[0]![0]).toBeCloseTo(1 - 0.01, 5);
    expect(decayed.w[0]![0]).toBeCloseTo(1 * (1 - 0.01 * 0.1) - 0.01, 5);
    expect(decayed.b[0]).toBeCloseTo(plain.b[0]!, 6);
  });

  it('LARS scales each matrix gradient by trust·‖w‖/(‖g‖ + λ‖w‖)', () => {
    const w = [[3, 4]]; // ‖w‖ = 5
    const g = [[0, 10]]; // ‖g‖ = 10
    const r = step({ name: 'lars', learningRate: 1, momentum: 0, weightDecay: 0, trustCoefficient: 0.2 }, w, [1], g, [1]);
    const trust = (0.2 * 5) / 10;
    expect(r.w[0]![0]).toBeCloseTo(3, 6);
    expect(r.w[0]![1]).toBeCloseTo(4 - trust * 10, 5);
    expect(r.b[0]).toBeCloseTo(0, 6);
  });

  it('leaves no tensor behind and changes its learning rate on request', () => {
    const r = step({ name: 'lars', learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4, trustCoefficient: 0.001 }, [[1, 2]], [1], [[0.5, 0.5]], [0.1]);
    // Momentum slots are the optimiser's own state: two variables, one slot each.
    expect(r.leaked).toBeLessThanOrEqual(2);
    const v = tf.variable(tf.tensor1d([1]), true, `lr${Math.random()}`);
    const opt = createOptimizer({ name: 'sgd', learningRate: 1, momentum: 0, weightDecay: 0 }, () => [v]);
    opt.setLearningRate(0.25);
    const g = tf.tensor1d([1]);
    opt.applyGradients({ [v.name]: g });
    expect(v.dataSync()[0]).toBeCloseTo(0.75, 6);
    tf.dispose([v, g]);
    opt.dispose();
  });
});
