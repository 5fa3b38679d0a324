import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  CUSTOM_AUGMENT,
  defaultsOf,
  emptyDraft,
  methodFields,
  methodParamsFromPreset,
  optimizerFields,
  scheduleFields,
  toExperimentInput,
} from '../../src/renderer/src/forms/experiment-draft';
import {
  describeField,
  describeObject,
  fieldLabel,
  sliderStep,
  wantsSlider,
} from '../../src/renderer/src/forms/zod-fields';
import { ExperimentSchema } from '../../src/shared/schemas/experiment';
import { RotationSpec } from '../../src/shared/schemas/augment';

const simclrPreset = {
  method: 'simclr',
  encoder: { name: 'small', widthMultiplier: 1, batchNormMomentum: 0.9 },
  head: [{ units: 8, batchNorm: false, activation: 'linear', bias: true }],
  temperature: 0.5,
};

describe('fields from schemas', () => {
  it('reads kinds, bounds, defaults and options', () => {
    expect(describeField('batchSize', ExperimentSchema.shape.batchSize)).toMatchObject({
      kind: 'integer',
      min: 2,
      max: 65_536,
      defaultValue: 64,
      optional: false,
    });
    expect(describeField('imageSize', ExperimentSchema.shape.imageSize)).toMatchObject({
      kind: 'integer',
      optional: true,
    });
    const rotation = describeObject(RotationSpec, ['op']);
    expect(rotation.map((f) => [f.key, f.kind])).toEqual([
      ['p', 'number'],
      ['degrees', 'pair'],
      ['mode', 'enum'],
      ['fill', 'enum'],
      ['fillValue', 'number'],
    ]);
    expect(rotation.find((f) => f.key === 'degrees')).toMatchObject({
      min: -180,
      max: 180,
      defaultValue: [-30, 30],
    });
    expect(rotation.find((f) => f.key === 'mode')?.options).toEqual(['continuous', 'right-angles']);
  });

  it('offers sliders only for sweepable ranges, with a step near a hundredth of the range', () => {
    const p = describeField('p', RotationSpec.shape.p)!;
    expect([wantsSlider(p), sliderStep(p)]).toEqual([true, 0.01]);
    const batch = describeField('batchSize', ExperimentSchema.shape.batchSize)!;
    expect(wantsSlider(batch)).toBe(false);
    expect(fieldLabel('maxStepsPerEpoch')).toBe('max steps per epoch');
  });

  it('lists each optimizer, schedule and method its own fields', () => {
    expect(optimizerFields('sgd').map((f) => f.key)).toEqual([
      'learningRate',
      'momentum',
      'weightDecay',
    ]);
    expect(optimizerFields('lars').map((f) => f.key)).toContain('trustCoefficient');
    expect(scheduleFields('step').map((f) => [f.key, f.kind])).toEqual([
      ['milestones', 'numbers'],
      ['gamma', 'number'],
    ]);
    expect(methodFields('moco').map((f) => f.key)).toEqual([
      'temperature',
      'queueSize',
      'momentum',
    ]);
    expect(methodFields('triplet').map((f) => f.key)).toEqual(['margin', 'mining', 'normalize']);
    expect(defaultsOf(optimizerFields('sgd'), { learningRate: 0.1 })).toEqual({
      learningRate: 0.1,
      momentum: 0.9,
      weightDecay: 5e-4,
    });
  });
});

describe('experiment draft', () => {
  const draft = () => ({
    ...emptyDraft(),
    datasetId: 1,
    methodParams: methodParamsFromPreset('simclr', simclrPreset),
  });

  it('builds a valid experiment with only changed hyper-parameters as overrides', () => {
    const d = draft();
    d.methodParams['temperature'] = 0.2;
    d.imageSize = '';
    const input = toExperimentInput(d, simclrPreset, null);
    expect(input).toMatchObject({
      datasetId: 1,
      method: 'simclr',
      methodOverrides: { temperature: 0.2 },
      batchSize: 32,
    });
    expect(input).not.toHaveProperty('imageSize');
    expect(input).not.toHaveProperty('augment');
    expect(checkDraft(d, simclrPreset, null)).toMatchObject({ ok: true, issues: {} });
  });

  it('reports schema messages by field path, including method hyper-parameters', () => {
    const d = draft();
    d.batchSize = 1;
    d.epochs = '';
    d.optimizer = { name: 'sgd', learningRate: -1, momentum: 0.9, weightDecay: 0 };
    d.methodParams['temperature'] = 0;
    const { ok, issues } = checkDraft(d, simclrPreset, null);
    expect(ok).toBe(false);
    expect(issues['batchSize']).toEqual(['batchSize must be ≥ 2']);
    expect(issues['epochs']).toEqual(['epochs must be a number']);
    expect(issues['optimizer.learningRate']).toEqual(['optimizer.learningRate must be > 0']);
    expect(issues['methodOverrides.temperature']).toEqual(['temperature must be > 0']);
  });

  it('sends a gradient-cache chunk only when one is given, with schema errors under its path', () => {
    const d = draft();
    expect(toExperimentInput(d, simclrPreset, null)).not.toHaveProperty('gradientCache');
    d.gradientCacheChunk = 16;
    expect(toExperimentInput(d, simclrPreset, null)).toMatchObject({
      gradientCache: { chunkSize: 16 },
    });
    expect(checkDraft(d, simclrPreset, null).ok).toBe(true);
    d.gradientCacheChunk = 128;
    expect(checkDraft(d, simclrPreset, null).issues['gradientCache.chunkSize']).toEqual([
      'gradientCache.chunkSize 128 is larger than the 64 views of a step (2 × batchSize 32)',
    ]);
  });

  it('asks for a dataset and for a valid custom pipeline when one is chosen', () => {
    const d = { ...draft(), datasetId: null, augment: CUSTOM_AUGMENT };
    const { issues } = checkDraft(d, simclrPreset, null);
    expect(issues['datasetId']).toEqual(['choose a dataset']);
    expect(issues['augment']).toEqual(['the Augment view has no valid custom pipeline']);
  });
});

describe('engine choice', () => {
  it('tfjs is the default and travels as nothing; pytorch travels and validates; others are refused', () => {
    const d = { ...emptyDraft(), datasetId: 1 };
    expect(toExperimentInput(d, simclrPreset, null)).not.toHaveProperty('engine');
    expect(ExperimentSchema.parse(toExperimentInput(d, simclrPreset, null)).engine).toBe('tfjs');
    const torch = toExperimentInput({ ...d, engine: 'pytorch' }, simclrPreset, null);
    expect(ExperimentSchema.parse(torch).engine).toBe('pytorch');
    const bad = checkDraft({ ...d, engine: 'jax' as never }, simclrPreset, null);
    expect(bad.issues['engine']?.[0]).toContain('engine must be one of tfjs, pytorch');
  });
});
