import { describe, expect, it } from 'vitest';
import { learningRateAt } from '../../../../src/main/ssl/schedules/learning-rate';

describe('learning-rate schedules', () => {
  it('cosine decays from the base rate to the floor, after a linear warm-up', () => {
    const s = { kind: 'cosine', warmupEpochs: 2, minLearningRateFraction: 0.1 } as const;
    expect(learningRateAt(s, 1, 0, 10)).toBeCloseTo(1e-3, 9);
    expect(learningRateAt(s, 1, 1, 10)).toBeCloseTo(0.5, 9);
    expect(learningRateAt(s, 1, 2, 10)).toBeCloseTo(1, 9);
    expect(learningRateAt(s, 1, 6, 10)).toBeCloseTo(0.1 + 0.9 * 0.5, 9);
    expect(learningRateAt(s, 1, 10, 10)).toBeCloseTo(0.1, 9);
  });

  it('step decay multiplies by gamma at each milestone passed', () => {
    const s = { kind: 'step' as const, milestones: [3, 6], gamma: 0.1 };
    expect([0, 2.9, 3, 5.9, 6, 9].map((e) => learningRateAt(s, 0.4, e, 10))).toEqual([0.4, 0.4, 0.04000000000000001, 0.04000000000000001, 0.004000000000000001, 0.004000000000000001]);
  });

  it('constant is constant, and a non-positive base rate is refused', () => {
    expect(learningRateAt({ kind: 'constant' }, 0.3, 7, 10)).toBe(0.3);
    expect(() => learningRateAt({ kind: 'constant' }, 0, 0, 1)).toThrow(RangeError);
  });
});
