/**
 * Sampled augmentation parameters as one readable line: `applied: yes · box: [0.1, 0.2, 0.9, 0.8]`,
 * numbers rounded to three significant digits, nested objects flattened with dots.
 */
export function formatParams(params: unknown): string {
  const parts: string[] = [];
  const round = (v: number): string =>
    Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
  const value = (v: unknown): string => {
    if (typeof v === 'number') return round(v);
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (Array.isArray(v))
      return v.length > 12
        ? `[${v.slice(0, 12).map(value).join(', ')}, …]`
        : `[${v.map(value).join(', ')}]`;
    if (v === null || v === undefined) return '—';
    return String(v);
  };
  const walk = (v: unknown, prefix: string): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [key, inner] of Object.entries(v)) walk(inner, prefix ? `${prefix}.${key}` : key);
    } else parts.push(prefix ? `${prefix}: ${value(v)}` : value(v));
  };
  walk(params, '');
  return parts.join(' · ');
}
