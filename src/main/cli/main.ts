/** `cwb` entry: run the program; any failure is one clear line on stderr and a non-zero exit code. */
import { CommanderError } from 'commander';
import { WorkbenchError } from '../../shared/errors';
import { buildProgram } from './program';

const EXIT_CODES: Record<string, number> = {
  INVALID_INPUT: 2,
  NOT_FOUND: 3,
  UNAVAILABLE: 4,
  CANCELLED: 130,
  STORE_ERROR: 5,
  CONFLICT: 6,
};

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its message (usage errors, --help, --version)
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof WorkbenchError) {
      process.stderr.write(`cwb: ${err.message}\n`);
      return EXIT_CODES[err.code] ?? 1;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`cwb: ${message.split('\n')[0]}\n`);
    if (process.env['CWB_DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
