import { describe, expect, it } from 'vitest';
import { teacherTempAt } from '../../../../src/main/ssl/schedules/teacher-temperature';
import { TEACHER_TEMP_CASES } from './teacher-temperature-cases';

describe('DINO teacher-temperature warm-up', () => {
  it.each(TEACHER_TEMP_CASES)(
    'epoch %s, τt %s, warm-up %s over %s epochs → %s',
    (epoch, teacherTemp, warmupTeacherTemp, warmupTeacherTempEpochs, expected) => {
      expect(
        teacherTempAt(epoch, { teacherTemp, warmupTeacherTemp, warmupTeacherTempEpochs }),
      ).toBeCloseTo(expected, 12);
    },
  );

  it('is constant after the warm-up and exact at its end point', () => {
    const schedule = { teacherTemp: 0.07, warmupTeacherTemp: 0.04, warmupTeacherTempEpochs: 30 };
    expect(teacherTempAt(29, schedule)).toBe(0.07);
    expect(new Set([30, 31, 1000].map((e) => teacherTempAt(e, schedule)))).toEqual(new Set([0.07]));
    // Monotone over the warm-up.
    const temps = Array.from({ length: 30 }, (_, e) => teacherTempAt(e, schedule));
    temps.slice(1).forEach((t, i) => expect(t).toBeGreaterThan(temps[i]!));
  });

  it('refuses a negative or fractional epoch', () => {
    const schedule = { teacherTemp: 0.07, warmupTeacherTemp: 0.04, warmupTeacherTempEpochs: 3 };
    expect(() => teacherTempAt(-1, schedule)).toThrow(RangeError);
    expect(() => teacherTempAt(0.5, schedule)).toThrow(RangeError);
  });
});
