/**
 * Augmentation throughput per preset (`cwb bench augment`), at the batch and image size of the
 * small-encoder training benchmark, so each preset's cost per batch sits next to one training step.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cwb, REPO, repeat, tempHome } from '../lib/cwb';
import { summarize, type Summary } from '../lib/stats';

interface BenchAugmentJson {
  preset: string;
  backend: string;
  viewsPerImage: number;
  imagesPerSecond: number;
  viewsPerSecond: number;
  msPerBatch: number;
}

export interface AugmentRow {
  preset: string;
  backend: string;
  batchSize: number;
  imageSize: number;
  viewsPerImage: number | null;
  imagesPerSecond: Summary;
  msPerBatch: Summary;
  load1: number[];
  command: string;
  errors: string[];
}

export const AUGMENT_BATCH = 64;
export const AUGMENT_SIZE = 32;

export function augmentPresets(): string[] {
  return readdirSync(join(REPO, 'resources', 'presets', 'augment'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export async function runAugmentSuite(opts: {
  runs: number;
  quick: boolean;
}): Promise<AugmentRow[]> {
  const rows: AugmentRow[] = [];
  for (const preset of augmentPresets()) {
    const home = tempHome();
    const args = [
      'bench',
      'augment',
      '--preset',
      preset,
      '--batch-size',
      String(AUGMENT_BATCH),
      '--image-size',
      String(AUGMENT_SIZE),
      '--iterations',
      opts.quick ? '5' : '10',
    ];
    const attempt = await repeat(opts.runs, `augment ${preset}`, () =>
      cwb<BenchAugmentJson>(home.dir, args),
    );
    home.remove();
    const v = attempt.runs.map((r) => r.value);
    rows.push({
      preset,
      backend: v[0]?.backend ?? '?',
      batchSize: AUGMENT_BATCH,
      imageSize: AUGMENT_SIZE,
      viewsPerImage: v[0]?.viewsPerImage ?? null,
      imagesPerSecond: summarize(v.map((x) => x.imagesPerSecond)),
      msPerBatch: summarize(v.map((x) => x.msPerBatch)),
      load1: attempt.runs.map((r) => r.load[0]),
      command: `npx --no-install cwb --home <tmp> ${args.join(' ')} --json`,
      errors: attempt.errors,
    });
  }
  return rows;
}
