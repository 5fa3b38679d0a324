/** Summaries of repeated runs: the benchmark standard is min and median of ≥ 3 runs. */
export interface Summary {
  n: number;
  min: number;
  median: number;
  max: number;
}

export function summarize(values: number[]): Summary {
  if (values.length === 0) return { n: 0, min: NaN, median: NaN, max: NaN };
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { n: s.length, min: s[0]!, median, max: s[s.length - 1]! };
}

/** "min / median" with a fixed number of decimals. */
export function minMed(s: Summary, digits = 1): string {
  if (s.n === 0) return 'n/a';
  return `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)}`;
}
