/**
 * Import speed through `cwb dataset import` into a fresh workspace each run: Fashion-MNIST from its IDX
 * files (Debian's dataset-fashion-mnist: 60 000 train + 10 000 t10k, 28 px, 1 channel) and a generated
 * folder of JPEG/PNG files (decode + resize with sharp). Wall clock of the whole command, so the CLI's
 * start-up (~1–2 s of tsx) is included; images/s = imported ÷ wall seconds.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cwb, repeat, tempHome } from '../lib/cwb';
import { makeMixedImageFolder } from '../lib/image-folder';
import { summarize, type Summary } from '../lib/stats';

export const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

interface ImportJson {
  datasetId: number;
  imported: number;
  skipped: unknown[];
}

export interface ImportRow {
  source: string;
  images: number | null;
  wallSeconds: Summary;
  imagesPerSecond: Summary;
  peakRssMB: Summary;
  load1: number[];
  command: string;
  errors: string[];
}

async function measure(source: string, args: string[], runs: number): Promise<ImportRow> {
  const attempt = await repeat(runs, `import ${source}`, () => {
    const home = tempHome();
    return cwb<ImportJson>(home.dir, args, true).finally(home.remove);
  });
  const imported = attempt.runs.map((r) => r.value.imported);
  return {
    source,
    images: imported[0] ?? null,
    wallSeconds: summarize(attempt.runs.map((r) => r.wallSeconds)),
    imagesPerSecond: summarize(attempt.runs.map((r) => r.value.imported / r.wallSeconds)),
    peakRssMB: summarize(attempt.runs.flatMap((r) => (r.peakRssMB === null ? [] : [r.peakRssMB]))),
    load1: attempt.runs.map((r) => r.load[0]),
    command: `npx --no-install cwb --home <fresh tmp> ${args.map((a) => (a.includes('cwb-bench-folder-') ? '<generated folder>' : a)).join(' ')} --json`,
    errors: attempt.errors,
  };
}

export async function runImportSuite(opts: { runs: number; quick: boolean }): Promise<ImportRow[]> {
  const rows: ImportRow[] = [];
  if (existsSync(FASHION_MNIST)) {
    const limit = opts.quick ? ['--limit', '5000'] : [];
    rows.push(
      await measure(
        `Fashion-MNIST IDX${opts.quick ? ' (--limit 5000 per split)' : ' (all 70 000)'}`,
        ['dataset', 'import', FASHION_MNIST, ...limit],
        opts.runs,
      ),
    );
  } else {
    rows.push({
      source: 'Fashion-MNIST IDX',
      images: null,
      wallSeconds: summarize([]),
      imagesPerSecond: summarize([]),
      peakRssMB: summarize([]),
      load1: [],
      command: '',
      errors: [`${FASHION_MNIST} missing: apt-get install dataset-fashion-mnist`],
    });
  }
  const count = opts.quick ? 400 : 2000;
  const folder = mkdtempSync(join(tmpdir(), 'cwb-bench-folder-'));
  try {
    process.stderr.write(`[bench] generating ${count} JPEG/PNG files (96 px) …\n`);
    await makeMixedImageFolder(folder, count);
    rows.push(
      await measure(
        `folder of ${count} JPEG+PNG, 96 px → 32 px`,
        ['dataset', 'import', folder, '--size', '32'],
        opts.runs,
      ),
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return rows;
}
