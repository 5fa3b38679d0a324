/** Warnings before a wasted run (issue 17 §1): each case of the issue, and a clean experiment with none. */
import { afterAll, describe, expect, it } from 'vitest';
import { parseAugmentSpec, type AugmentSpec } from '../../../src/shared/schemas/augment';
import { ExperimentSchema } from '../../../src/shared/schemas/experiment';
import { mergeMethodConfig } from '../../../src/shared/schemas/method';
import { experimentWarnings, totalSteps, type DatasetFacts } from '../../../src/main/services/experiment-warnings';
import { loadMethodPreset, resolveAugmentPreset } from '../../../src/main/services/presets';
import { tempDir } from '../../helpers/temp';

const home = tempDir();
afterAll(home.cleanup);
const rgb: DatasetFacts = { numImages: 1200, trainImages: 1000, channels: 3, imageSize: 32 };
const grey: DatasetFacts = { ...rgb, channels: 1 };

function check(design: Record<string, unknown>, dataset: DatasetFacts = rgb, augment?: AugmentSpec) {
  const experiment = ExperimentSchema.parse({ datasetId: 1, batchSize: 32, epochs: 10, ...design });
  const method = mergeMethodConfig(loadMethodPreset(experiment.method), experiment.methodOverrides);
  const spec = augment ?? resolveAugmentPreset(home.dir, experiment.method === 'swav' ? 'swav-multicrop' : 'grayscale-safe');
  return experimentWarnings({ experiment, method, augment: spec, imageSize: experiment.imageSize ?? dataset.imageSize }, dataset);
}
const fields = (w: { field: string }[]): string[] => w.map((x) => x.field);

describe('experimentWarnings', () => {
  it('has nothing to say about a sensible SimCLR run', () => {
    expect(check({ method: 'simclr' })).toEqual([]);
  });

  it('warns when the MoCo queue is smaller than the batch, or larger than the training split', () => {
    const small = check({ method: 'moco', batchSize: 64, methodOverrides: { queueSize: 32 } });
    expect(small).toEqual([{ field: 'methodOverrides.queueSize', message: expect.stringMatching(/smaller than one batch \(64\).*at least 64/) as string }]);
    expect(fields(check({ method: 'moco', methodOverrides: { queueSize: 4096 } }))).toEqual(['methodOverrides.queueSize']);
    expect(check({ method: 'moco', methodOverrides: { queueSize: 512 } })).toEqual([]);
  });

  it('warns when memory-bank or PIRL negatives reach the training split', () => {
    expect(fields(check({ method: 'memory-bank', methodOverrides: { negatives: 1000 } }))).toEqual(['methodOverrides.negatives']);
    expect(check({ method: 'memory-bank', methodOverrides: { negatives: 999 } })).toEqual([]);
    expect(fields(check({ method: 'pirl', methodOverrides: { negatives: 4096 } }, rgb, resolveAugmentPreset(home.dir, 'pirl-jigsaw')))).toContain('methodOverrides.negatives');
  });

  it('warns when SwAV prototypes stay frozen for the whole run, and when there are more prototypes than images', () => {
    // 1000 train images / 32 = 31 steps per epoch × 3 epochs = 93 steps ≤ 300 frozen steps.
    const frozen = check({ method: 'swav', epochs: 3 });
    expect(frozen).toEqual([{ field: 'methodOverrides.freezePrototypesSteps', message: expect.stringMatching(/frozen for 300 steps but the run has only 93.*ln 100/) as string }]);
    expect(check({ method: 'swav', epochs: 10 })).toEqual([]);
    const few = { ...rgb, numImages: 80, trainImages: 64 };
    expect(fields(check({ method: 'swav', epochs: 200, batchSize: 16 }, few))).toEqual(['methodOverrides.prototypes']);
  });

  it('warns when DINO’s last layer stays frozen for the whole run, or τt never finishes its warm-up', () => {
    // The preset freezes the last layer for 1 epoch: a 1-epoch run never trains it.
    expect(check({ method: 'dino', epochs: 1 })).toEqual([{ field: 'methodOverrides.freezeLastLayer', message: expect.stringMatching(/frozen for 1 epoch\(s\) but the run has only 1/) as string }]);
    expect(check({ method: 'dino', epochs: 2 })).toEqual([]);
    expect(check({ method: 'dino', epochs: 1, methodOverrides: { freezeLastLayer: 0 } })).toEqual([]);
    // 0.04 → 0.07 over 30 epochs, 10 run: τt ends at epoch 9's 0.04 + 0.03·9/29.
    const warm = { teacherTemp: 0.07, warmupTeacherTemp: 0.04, warmupTeacherTempEpochs: 30 };
    expect(check({ method: 'dino', epochs: 10, methodOverrides: warm })).toEqual([{ field: 'methodOverrides.warmupTeacherTempEpochs', message: expect.stringMatching(/over 30 epochs but the run has only 10: τt ends at 0\.04931, never reaching teacherTemp 0\.07/) as string }]);
    expect(check({ method: 'dino', epochs: 30, methodOverrides: warm })).toEqual([]);
  });

  it('suggests the grayscale preset when hue or saturation jitter meets single-channel images', () => {
    const simclr = resolveAugmentPreset(home.dir, 'simclr');
    expect(check({ method: 'simclr' }, grey, simclr)).toEqual([{ field: 'augment', message: expect.stringMatching(/hue and saturation.*grayscale-safe/) as string }]);
    expect(check({ method: 'simclr' }, rgb, simclr)).toEqual([]);
    expect(check({ method: 'simclr' }, grey, resolveAugmentPreset(home.dir, 'grayscale-safe'))).toEqual([]);
    const hueOnly = parseAugmentSpec({ kind: 'pair', views: [{ name: 'v', count: 2, ops: [{ op: 'color-jitter', saturation: 0, hue: 0.1 }] }] });
    expect(check({ method: 'simclr' }, grey, hueOnly)[0]?.message).toMatch(/^hue jitter/);
  });

  it('warns when the batch is near the split size (one step per epoch, many images dropped)', () => {
    const w = check({ method: 'simclr', batchSize: 600 });
    expect(w).toEqual([{ field: 'batchSize', message: expect.stringMatching(/1 step per epoch and 400 images left out/) as string }]);
    expect(check({ method: 'simclr', batchSize: 1100 })[0]?.message).toMatch(/no full batch/);
    expect(check({ method: 'simclr', batchSize: 500 })).toEqual([]);
  });

  it('warns when the image size is far from the dataset’s', () => {
    expect(check({ method: 'simclr', imageSize: 96 })).toEqual([{ field: 'imageSize', message: expect.stringMatching(/far above the dataset's 32 px.*9× the pixels/) as string }]);
    expect(fields(check({ method: 'simclr' }, { ...rgb, imageSize: 224 }, undefined))).toEqual([]);
    expect(fields(check({ method: 'simclr', imageSize: 64 }, { ...rgb, imageSize: 224 }))).toEqual(['imageSize']);
    expect(check({ method: 'simclr', imageSize: 48 })).toEqual([]);
  });

  it('counts total steps as the trainer does (full batches, capped per epoch)', () => {
    const e = ExperimentSchema.parse({ datasetId: 1, method: 'simclr', batchSize: 32, epochs: 4, maxStepsPerEpoch: 10 });
    expect(totalSteps(e, 1000)).toBe(40);
    expect(totalSteps({ ...e, maxStepsPerEpoch: undefined }, 1000)).toBe(124);
  });
});
