/**
 * Per-kernel profile of one training step (the `cwb bench train` step: augmentation, forward,
 * backward, optimiser), so a speed-up starts from where the time actually goes.
 *
 * Runs `--warmup` untimed steps, then `--steps` profiled ones through `tf.profile`; every kernel the
 * engine dispatches is attributed to a phase: `augment` (buildViews), `forward` (the method's loss),
 * `backward` (the rest of variableGrads: the tape's gradient kernels) and `optimizer`
 * (applyGradients). Kernels that a custom kernel calls directly (our wasm Conv2DBackprop*) count
 * inside that kernel. Custom-gradient ops (`fusedConv2d__op`, …) are not kernels: tf.profile lists
 * them as well as the kernels they run, so they are left out of the table to count nothing twice.
 * Times are the backend's own per-kernel wall times, averaged over the profiled steps; `wall ms`
 * is the phase's wall time including JS overhead between kernels.
 *
 * Usage: tsx bench/probes/kernel-profile.ts [--method simclr] [--encoder small] [--batch-size 64]
 *          [--image-size 32] [--backend wasm] [--steps 3] [--warmup 2] [--top 15] [--json]
 *          [--filter-kernels simd,xnnpack]
 * `--filter-kernels` profiles `--steps` steps with each wasm filter-gradient kernel
 * (CWB_WASM_FILTER_KERNEL), alternating step by step in this one process, so a loaded machine slows
 * both alike; the table then has one ms column per kernel.
 */
import { parseArgs } from 'node:util';
import { deriveSeed } from '../../src/main/random/index';
import { buildViews, disposeViewBatch } from '../../src/main/augment/views/index';
import { tf } from '../../src/main/compute/tf';
import { methodBatch } from '../../src/main/ssl/view-plan';
import { applyInOrder } from '../../src/main/ssl/train-step';
import { setUpTrainProbe, TRAIN_PROBE_OPTIONS } from '../lib/train-probe';

const { values } = parseArgs({
  options: {
    ...TRAIN_PROBE_OPTIONS,
    steps: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    top: { type: 'string', default: '15' },
    json: { type: 'boolean', default: false },
    /** Also split rows by the kernel's input shapes. */
    shapes: { type: 'boolean', default: false },
    'filter-kernels': { type: 'string', default: '' },
  },
});

type Phase = 'augment' | 'forward' | 'backward' | 'optimizer';
interface Row {
  kernel: string;
  variant: string;
  phase: Phase;
  ms: number;
  count: number;
}

const steps = Number(values.steps);
const warmup = Number(values.warmup);
/** The filter-gradient kernels to alternate ('' = whatever the environment says, no column split). */
const variants = values['filter-kernels'] ? values['filter-kernels'].split(',') : [''];
let variant = '';

const probe = await setUpTrainProbe(values);
const { methodName, encoderName, batchSize, imageSize, report } = probe;
const { method, optimizer, spec, images, indices } = probe;

const rows = new Map<string, Row>();
const wall: Record<Phase, number> = { augment: 0, forward: 0, backward: 0, optimizer: 0 };
const wallBy = new Map<string, Record<Phase, number>>();

/** Profile `fn`, attributing the kernels before `split()` was called to `first`, the rest to `second`. */
async function profiled<T>(
  fn: (split: () => void) => T,
  first: Phase,
  second: Phase = first,
): Promise<T> {
  let result: T | undefined;
  let splitAt = Number.POSITIVE_INFINITY;
  let splitTime = 0;
  const started = performance.now();
  const info = await tf.profile(() => {
    result = fn(() => {
      const active = (
        tf.engine() as unknown as { state: { activeProfile: { kernels: unknown[] } } }
      ).state.activeProfile;
      splitAt = active.kernels.length;
      splitTime = performance.now();
    });
    return [];
  });
  const ended = performance.now();
  const mine = wallBy.get(variant) ?? { augment: 0, forward: 0, backward: 0, optimizer: 0 };
  wallBy.set(variant, mine);
  if (splitTime > 0) {
    mine[first] += splitTime - started;
    mine[second] += ended - splitTime;
  } else mine[first] += ended - started;
  info.kernels.forEach((k, i) => {
    if (!tf.getKernel(k.name, tf.getBackend())) return;
    const phase = i < splitAt ? first : second;
    const kernel = values.shapes ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
    const key = `${variant}\u0000${phase}\u0000${kernel}`;
    const row = rows.get(key) ?? { kernel, phase, variant, ms: 0, count: 0 };
    row.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    row.count += 1;
    rows.set(key, row);
  });
  return result as T;
}

async function step(n: number, profile: boolean): Promise<void> {
  const seed = deriveSeed(0, n);
  const build = () => buildViews(images, spec, { seed, imageKeys: indices });
  const built = profile ? await profiled(build, 'augment') : build();
  try {
    const batch = methodBatch(built, method.viewsNeeded, indices);
    const variables = method.trainableVariables();
    const run = (split: () => void) =>
      tf.variableGrads(() => {
        const loss = tf.tidy(() => method.loss(batch));
        split();
        return loss;
      }, variables);
    const { value, grads } = profile
      ? await profiled(run, 'forward', 'backward')
      : run(() => undefined);
    const apply = () => applyInOrder(optimizer, variables, grads);
    if (profile) await profiled(apply, 'optimizer');
    else apply();
    const loss = (await value.data())[0] ?? NaN;
    tf.dispose([value, ...Object.values(grads)]);
    method.afterStep(batch, { loss });
  } finally {
    disposeViewBatch(built);
  }
}

try {
  for (let i = 0; i < warmup; i += 1) await step(i, false);
  for (let i = 0; i < steps * variants.length; i += 1) {
    variant = variants[i % variants.length]!;
    if (variant) process.env['CWB_WASM_FILTER_KERNEL'] = variant;
    await step(warmup + Math.floor(i / variants.length), true);
  }
} finally {
  images.dispose();
  optimizer.dispose();
  method.dispose();
}

/** One variant's profile: per-step kernel rows (largest first), their total, and the phases. */
function summary(v: string) {
  const wallOf = wallBy.get(v) ?? wall;
  const perStep = [...rows.values()]
    .filter((r) => r.variant === v)
    .map((r) => ({ ...r, ms: r.ms / steps, count: r.count / steps }))
    .sort((a, b) => b.ms - a.ms);
  const kernelTotal = perStep.reduce((s, r) => s + r.ms, 0);
  const phases = (Object.keys(wallOf) as Phase[]).map((phase) => {
    const mine = perStep.filter((r) => r.phase === phase);
    return {
      phase,
      wallMs: wallOf[phase] / steps,
      kernelMs: mine.reduce((s, r) => s + r.ms, 0),
      kernels: mine.reduce((s, r) => s + r.count, 0),
    };
  });
  const top = perStep.slice(0, Number(values.top)).map((r) => ({ ...r, share: r.ms / kernelTotal }));
  return { perStep, kernelMsPerStep: kernelTotal, phases, top };
}

const summaries = variants.map((v) => ({ variant: v, ...summary(v) }));
const head = {
  backend: report.backend,
  method: methodName,
  encoder: encoderName,
  batchSize,
  imageSize,
  steps,
};
const [first] = summaries;
if (values.json) {
  const body = variants.length === 1
    ? { kernelMsPerStep: first!.kernelMsPerStep, phases: first!.phases, top: first!.top }
    : { filterKernels: summaries.map(({ perStep: _unused, ...rest }) => rest) };
  process.stdout.write(`${JSON.stringify({ ...head, ...body })}\n`);
} else if (variants.length === 1) {
  const lines = [
    `${methodName}/${encoderName} on ${report.backend}, batch ${batchSize} (${imageSize} px), mean of ${steps} profiled steps`,
    '',
    '| phase | wall ms | kernel ms | kernels |',
    '| --- | ---: | ---: | ---: |',
    ...first!.phases.map(
      (p) => `| ${p.phase} | ${p.wallMs.toFixed(1)} | ${p.kernelMs.toFixed(1)} | ${p.kernels} |`,
    ),
    '',
    '| # | kernel | phase | ms/step | share | calls/step |',
    '| ---: | --- | --- | ---: | ---: | ---: |',
    ...first!.top.map(
      (r, i) =>
        `| ${i + 1} | ${r.kernel} | ${r.phase} | ${r.ms.toFixed(1)} | ${(100 * r.share).toFixed(1)}% | ${r.count} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} else {
  // One row per kernel of the first variant's top list; one ms (share) column per variant.
  const cell = (v: (typeof summaries)[number], kernel: string, phase: Phase) => {
    const r = v.perStep.find((x) => x.kernel === kernel && x.phase === phase);
    return r ? `${r.ms.toFixed(1)} (${((100 * r.ms) / v.kernelMsPerStep).toFixed(1)} %)` : '–';
  };
  const names = summaries.map((v) => v.variant).join(' | ');
  const lines = [
    `${methodName}/${encoderName} on ${report.backend}, batch ${batchSize} (${imageSize} px), ${steps} profiled steps per filter kernel, alternating`,
    '',
    `| phase | wall ms: ${names} | kernel ms: ${names} |`,
    `| --- |${' ---: |'.repeat(2 * summaries.length)}`,
    ...first!.phases.map((p, i) => `| ${p.phase} | ${summaries.map((v) => v.phases[i]!.wallMs.toFixed(1)).join(' | ')} | ${summaries.map((v) => v.phases[i]!.kernelMs.toFixed(1)).join(' | ')} |`),
    `| all kernels | ${summaries.map(() => '').join(' | ')} | ${summaries.map((v) => v.kernelMsPerStep.toFixed(1)).join(' | ')} |`,
    '',
    `| # | kernel | phase | ms/step (share): ${names} | calls/step |`,
    `| ---: | --- | --- |${' ---: |'.repeat(summaries.length)} ---: |`,
    ...first!.top.map((r, i) => `| ${i + 1} | ${r.kernel} | ${r.phase} | ${summaries.map((v) => cell(v, r.kernel, r.phase)).join(' | ')} | ${r.count} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
