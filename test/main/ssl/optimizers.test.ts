import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, FROZEN_STEPS } from '../../../src/main/ssl/optimizers';
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

  describe('a null gradient freezes its variable for the step (PyTorch: grad None)', () => {
    const CONFIGS = [
      { name: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 0.5 },
      { name: 'adam', learningRate: 0.1, weightDecay: 0.5 },
      { name: 'adamw', learningRate: 0.1, weightDecay: 0.5 },
      { name: 'lars', learningRate: 0.1, momentum: 0.9, weightDecay: 0.5, trustCoefficient: 0.1 },
    ] as const;

    it.each(CONFIGS.map((c) => [c.name, c] as const))('%s: no step, no decay, no slot change; the other variable trains', async (_, config) => {
      const w = tf.variable(tf.tensor2d([[1, -2]]), true, `fw${Math.random()}`);
      const frozen = tf.variable(tf.tensor2d([[3, 4]]), true, `ff${Math.random()}`);
      const opt = createOptimizer(config, () => [w, frozen]);
      const g = tf.tensor2d([[0.5, 0.5]]);
      for (let s = 0; s < 3; s++) opt.applyGradients({ [w.name]: g, [frozen.name]: null });
      expect(frozen.arraySync()).toEqual([[3, 4]]);
      expect((w.arraySync() as number[][])[0]![0]).not.toBeCloseTo(1, 3);
      const slots = await opt.getWeights();
      const own = slots.filter((s) => s.name.startsWith(`${frozen.name}/`));
      expect(own.length).toBeGreaterThan(0);
      for (const s of own) expect(Array.from(s.tensor.dataSync())).toEqual([0, 0]);
      tf.dispose([w, frozen, g]);
      opt.dispose();
    });

    it('Adam: a variable back from a freeze is bias-corrected with its own step count, as PyTorch', () => {
      const lr = 0.01;
      const w = tf.variable(tf.tensor2d([[1, 1]]), true, `aw${Math.random()}`);
      const late = tf.variable(tf.tensor2d([[1, 1]]), true, `al${Math.random()}`);
      const opt = createOptimizer({ name: 'adam', learningRate: lr, weightDecay: 0 }, () => [w, late]);
      const g = tf.tensor2d([[0.5, -2]]);
      for (let s = 0; s < 5; s++) opt.applyGradients({ [w.name]: g, [late.name]: null });
      // PyTorch's first and second steps of a constant gradient move by lr·g/(|g| + ε) each; with the
      // global count (6, 7) tfjs's would move it by about 0.52·lr and 0.67·lr.
      opt.applyGradients({ [w.name]: g, [late.name]: g });
      const first = late.arraySync() as number[][];
      expect(first[0]![0]).toBeCloseTo(1 - lr, 6);
      expect(first[0]![1]).toBeCloseTo(1 + lr, 6);
      opt.applyGradients({ [w.name]: g, [late.name]: g });
      const second = late.arraySync() as number[][];
      expect(second[0]![0]).toBeCloseTo(1 - 2 * lr, 6);
      expect(second[0]![1]).toBeCloseTo(1 + 2 * lr, 6);
      tf.dispose([w, late, g]);
      opt.dispose();
    });

    it('Adam: the frozen-step counts survive a checkpoint (getWeights → setWeights)', async () => {
      const make = () => {
        const w = tf.variable(tf.tensor2d([[1, 1]]), true, `cw${Math.random()}`);
        const late = tf.variable(tf.tensor2d([[1, 1]]), true, `cl${Math.random()}`);
        return { w, late, opt: createOptimizer({ name: 'adamw', learningRate: 0.01, weightDecay: 0.1 }, () => [w, late]) };
      };
      const g = tf.tensor2d([[0.5, -2]]);
      const a = make();
      for (let s = 0; s < 4; s++) a.opt.applyGradients({ [a.w.name]: g, [a.late.name]: null });
      const saved = (await a.opt.getWeights()).map((x) => ({ name: x.name, tensor: x.tensor.clone() }));
      expect(saved.find((x) => x.name === FROZEN_STEPS)?.tensor.arraySync()).toEqual([0, 4]);
      const b = make();
      b.w.assign(a.w);
      b.late.assign(a.late);
      await b.opt.setWeights(saved);
      for (const o of [a, b]) o.opt.applyGradients({ [o.w.name]: g, [o.late.name]: g });
      // Close, not equal: a restored Adam recomputes β^t by pow, the running one multiplied it up.
      for (const key of ['late', 'w'] as const) {
        const [x, y] = [a[key].dataSync(), b[key].dataSync()];
        x.forEach((value, i) => expect(y[i]).toBeCloseTo(value, 6));
      }
      // 1 − 0.01·(0.5/0.5) and 1 + 0.01: the first step of its own (AdamW decay 1 − lr·λ first).
      expect(a.late.dataSync()[0]).toBeCloseTo(1 * (1 - 0.01 * 0.1) - 0.01, 6);
      // A run that never froze anything keeps its checkpoints as they were.
      const c = make();
      c.opt.applyGradients({ [c.w.name]: g, [c.late.name]: g });
      expect((await c.opt.getWeights()).some((x) => x.name === FROZEN_STEPS)).toBe(false);
      tf.dispose([g, ...saved.map((x) => x.tensor), ...[a, b, c].flatMap((o) => [o.w, o.late])]);
      [a, b, c].forEach((o) => o.opt.dispose());
    });
  });
});
