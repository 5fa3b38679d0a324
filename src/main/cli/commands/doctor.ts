import type { Command } from 'commander';
import type { DoctorReport } from '../../../shared/schemas/system';
import { withServices, type GlobalOptions } from '../context';
import { parseInteger } from './parse';

function human(report: DoctorReport): string {
  const lines = [`backend: ${report.backend}`, 'candidates:'];
  for (const c of report.candidates) {
    lines.push(`  ${c.available ? '✓' : '✗'} ${c.name.padEnd(10)} ${c.reason}${c.device ? ` [${c.device}]` : ''}`);
  }
  const wasm = report.wasmThreads;
  lines.push(`threads: ${report.threads}${wasm ? ` — wasm: ${wasm.requested} requested; ${wasm.note}` : ''}`);
  lines.push(`workspace: ${report.home}`);
  lines.push(`database: ${report.database.path} (schema v${report.database.schemaVersion})`);
  lines.push(`versions: ${Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (report.pytorch) lines.push(`pytorch engine: ${report.pytorch.usable ? '✓' : '✗'} ${report.pytorch.reason}`);
  return lines.join('\n');
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('show which compute backend is used and why the others are not')
    .option('--backend <name>', 'check that this backend can be activated (tensorflow|webgpu|wasm|cpu)')
    .option('--wasm-threads <n>', 'XNNPACK threads to try on wasm, 1-8 (default: $CWB_WASM_THREADS or 1)', parseInteger)
    .action(async (opts: { backend?: string; wasmThreads?: number }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      await withServices(globals, async (services, out) => {
        out.result(await services.system.doctor(opts.backend, opts.wasmThreads), human);
      });
    });
}
