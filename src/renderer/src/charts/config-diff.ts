/**
 * What differs between the experiments of compared runs: every leaf path (`methodOverrides.queueSize`,
 * `optimizer.learningRate`) whose value is not the same in all of them, with each run's value.
 */
function leaves(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) leaves(v, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  out.set(prefix, JSON.stringify(value));
}

export interface ConfigDiffRow {
  path: string;
  /** One per run, in order; '—' where the run's experiment does not set it. */
  values: string[];
}

export function configDiff(configs: readonly (Record<string, unknown> | undefined)[]): ConfigDiffRow[] {
  const flat = configs.map((c) => {
    const m = new Map<string, string>();
    leaves(c ?? {}, '', m);
    m.delete('name');
    return m;
  });
  const paths = [...new Set(flat.flatMap((m) => [...m.keys()]))].sort();
  return paths
    .map((path) => ({ path, values: flat.map((m) => m.get(path) ?? '—') }))
    .filter((row) => new Set(row.values).size > 1);
}
