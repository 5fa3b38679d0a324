import type { z } from 'zod';

/** `views.0.ops.2.p` style keys for a zod issue path (the form fields use the same keys). */
export function pathKey(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Issue messages grouped by field path; root issues under ''. */
export function issuesByPath(issues: readonly z.core.$ZodIssue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) (out[pathKey(issue.path)] ??= []).push(issue.message);
  return out;
}

/** Messages at `prefix` or below it (e.g. everything about one op of a pipeline). */
export function issuesUnder(byPath: Record<string, string[]>, prefix: string): string[] {
  return Object.entries(byPath)
    .filter(([key]) => key === prefix || key.startsWith(`${prefix}.`))
    .flatMap(([, messages]) => messages);
}
