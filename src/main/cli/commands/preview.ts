import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadAugmentSpecFile } from '../../augment/presets';
import { writeFileAtomicSync } from '../../files/atomic-file';
import { WorkbenchError } from '../../../shared/errors';
import type { AugmentSpec } from '../../../shared/schemas/augment';
import { withServices, type GlobalOptions } from '../context';
import { parseInteger } from './parse';

export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('write a labelled grid of seeded positive pairs — exactly what training will see')
    .requiredOption('--dataset <id>', 'dataset id', parseInteger)
    .requiredOption('--augment <spec.json|preset>', 'an augmentation spec file, or a preset name (simclr, moco-v2, swav-multicrop, …)')
    .requiredOption('--out <file.png>', 'where to write the PNG grid')
    .option('--seed <n>', 'seed of the sampled parameters', parseInteger, 0)
    .option('--pairs <n>', 'number of images previewed', parseInteger, 6)
    .action(async (opts: { dataset: number; augment: string; out: string; seed: number; pairs: number }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const augment = opts.augment.endsWith('.json') ? readSpec(opts.augment) : opts.augment;
      await withServices(globals, async (services, out) => {
        const reply = await services.previews.create({ datasetId: opts.dataset, augment, seed: opts.seed, pairs: opts.pairs, stepByStep: false });
        const file = resolve(opts.out);
        writeFileAtomicSync(file, reply.png);
        out.result({ previewId: reply.previewId, file, views: reply.viewNames }, (r) => `wrote ${r.file} (${r.views.length} views per image, preview ${r.previewId})`);
      });
    });
}

function readSpec(file: string): AugmentSpec {
  try {
    return loadAugmentSpecFile(resolve(file));
  } catch (err) {
    throw new WorkbenchError('INVALID_INPUT', `${file}: ${(err as Error).message}`);
  }
}
