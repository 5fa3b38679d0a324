import { describe, expect, it } from 'vitest';
import { classBalanceOption } from '../../src/renderer/src/charts/class-balance';

describe('class balance chart option', () => {
  it('stacks train and val bars per class, naming unlabelled images', () => {
    const option = classBalanceOption(
      [
        { label: 'a', train: 3, val: 1 },
        { label: null, train: 2, val: 0 },
      ],
      false,
    ) as {
      xAxis: { data: string[] };
      series: { name: string; data: number[]; stack: string }[];
    };
    expect(option.xAxis.data).toEqual(['a', '(unlabelled)']);
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ['train', [3, 2]],
      ['val', [1, 0]],
    ]);
    expect(new Set(option.series.map((s) => s.stack)).size).toBe(1);
  });
});
