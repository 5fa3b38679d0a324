import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  MethodConfigSchema,
  mergeMethodConfig,
  METHOD_NAMES,
} from '../../../src/shared/schemas/method';
import { preset, PRESET_DIR } from './fixtures';

describe('method presets', () => {
  it('exist for exactly the methods there are (knobs.json holds their tooltips)', () => {
    const files = readdirSync(PRESET_DIR).filter((f) => f.endsWith('.json') && f !== 'knobs.json');
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...METHOD_NAMES].sort());
  });

  for (const name of METHOD_NAMES) {
    it(`${name}.json validates with the method schema and names its method`, () => {
      const parsed = MethodConfigSchema.parse(preset(name));
      expect(parsed.method).toBe(name);
    });
  }

  it('merges overrides deeply (objects merge, arrays replace) and revalidates', () => {
    const merged = mergeMethodConfig(preset('moco'), {
      encoder: { name: 'resnet50' },
      queueSize: 1024,
    });
    expect(merged.encoder).toEqual({
      name: 'resnet50',
      widthMultiplier: 1,
      batchNormMomentum: 0.9,
    });
    expect(merged.method === 'moco' && merged.queueSize).toBe(1024);
    const linear = mergeMethodConfig(preset('moco'), {
      head: [{ units: 128, batchNorm: false, activation: 'linear', bias: true }],
    });
    expect(linear.head).toHaveLength(1);
  });

  it('rejects bad values with the offending path and a readable message', () => {
    const failure = (overrides: unknown): z.core.$ZodIssue => {
      const result = MethodConfigSchema.safeParse({
        ...(preset('swav') as object),
        ...(overrides as object),
      });
      expect(result.success).toBe(false);
      return result.error!.issues[0]!;
    };
    expect(failure({ temperature: 0 })).toMatchObject({
      path: ['temperature'],
      message: 'temperature must be > 0',
    });
    expect(failure({ sinkhornIterations: 1.5 }).message).toBe(
      'sinkhornIterations must be an integer',
    );
    expect(
      failure({ encoder: { name: 'vgg16', widthMultiplier: 1, batchNormMomentum: 0.9 } }).path,
    ).toEqual(['encoder', 'name']);
    expect(failure({ extra: 1 }).code).toBe('unrecognized_keys');
    expect(() => mergeMethodConfig(preset('simclr'), { method: 'nope' })).toThrow();
  });

  it('dino: the schedule fields validate, and a config written before them keeps its old behaviour', () => {
    const { freezeLastLayer, warmupTeacherTemp, warmupTeacherTempEpochs, ...before } = preset(
      'dino',
    ) as Record<string, unknown>;
    // The preset sets the paper's 1-epoch freeze and leaves the warm-up off.
    expect([freezeLastLayer, warmupTeacherTemp, warmupTeacherTempEpochs]).toEqual([1, 0.04, 0]);
    const old = MethodConfigSchema.parse(before);
    expect(
      old.method === 'dino' && [
        old.freezeLastLayer,
        old.warmupTeacherTemp,
        old.warmupTeacherTempEpochs,
      ],
    ).toEqual([0, 0.04, 0]);
    const issue = (overrides: Record<string, unknown>): string | undefined =>
      MethodConfigSchema.safeParse({ ...before, ...overrides }).error?.issues[0]?.message;
    expect(issue({ freezeLastLayer: -1 })).toBe('freezeLastLayer must be ≥ 0');
    expect(issue({ freezeLastLayer: 0.5 })).toBe('freezeLastLayer must be an integer');
    expect(issue({ warmupTeacherTemp: 0 })).toBe('warmupTeacherTemp must be > 0');
    expect(issue({ warmupTeacherTempEpochs: 2.5 })).toBe(
      'warmupTeacherTempEpochs must be an integer',
    );
    expect(
      issue({ freezeLastLayer: 3, warmupTeacherTemp: 0.02, warmupTeacherTempEpochs: 30 }),
    ).toBeUndefined();
  });
});
