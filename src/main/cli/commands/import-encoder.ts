import type { Command } from 'commander';
import { withServices, type GlobalOptions } from '../context';

export function registerImportEncoder(program: Command): void {
  program
    .command('import-encoder <model.onnx>')
    .description('register an external ONNX encoder (e.g. trained with PyTorch) to evaluate it next to local runs')
    .requiredOption('--name <name>', 'a name for the encoder')
    .action(async (file: string, opts: { name: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        const encoder = await services.encoders.import(file, opts.name);
        out.result(
          { encoderId: encoder.id, name: encoder.name, inputSize: encoder.inputSize, channels: encoder.channels, layout: encoder.layout, outputDim: encoder.outputDim },
          (e) => `encoder ${e.encoderId} "${e.name}": ${e.inputSize}×${e.inputSize}×${e.channels} ${e.layout} → ${e.outputDim} features`,
        );
      });
    });
}
