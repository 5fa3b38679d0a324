import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { launchPlan, launchRequest, type DeviceReport } from '../../engine/pytorch/launch-plan';
import { DATABASE_FILE } from '../../../shared/constants';
import { damagedError, integrityProblems } from '../../store/db';
import { defaultHome } from '../../workspace/home';
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
  if (report.wasmFilterKernel) lines.push(`filter gradient: ${report.wasmFilterKernel.kernel} — ${report.wasmFilterKernel.reason}`);
  if (report.wasmInputKernel) lines.push(`input gradient: ${report.wasmInputKernel.kernel} — ${report.wasmInputKernel.reason}`);
  if (report.wasmConvKernel) lines.push(`3×3 convolutions: ${report.wasmConvKernel.kernel} — ${report.wasmConvKernel.reason}`);
  lines.push(`workspace: ${report.home}`);
  lines.push(`database: ${report.database.path} (schema v${report.database.schemaVersion}, integrity ${report.database.integrity ?? 'not checked'})`);
  lines.push(`log: ${report.logFile}`);
  lines.push(`versions: ${Object.entries(report.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (report.pytorch) lines.push(`pytorch engine: ${report.pytorch.usable ? '✓' : '✗'} ${report.pytorch.reason}`);
  if (report.pytorch?.usable) lines.push(`pytorch launch: ${pytorchLaunch(report.pytorch)}`);
  return lines.join('\n');
}

/** How a PyTorch run would start here (launch-plan.ts), or why the environment's settings are refused. */
function pytorchLaunch(device: DeviceReport): string {
  try {
    return launchPlan(device, launchRequest(process.env, 'auto', availableParallelism())).reason;
  } catch (err) {
    return `✗ ${(err as Error).message}`;
  }
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('show which compute backend is used and why the others are not; check the store in full (integrity_check)')
    .option('--backend <name>', 'check that this backend can be activated (tensorflow|webgpu|wasm|cpu)')
    .option('--wasm-threads <n>', 'XNNPACK threads to try on wasm, 1-8 (default: $CWB_WASM_THREADS or 1)', parseInteger)
    .action(async (opts: { backend?: string; wasmThreads?: number }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      // The full integrity_check runs first, read-only: a damaged store is reported problem by problem
      // (opening it for the rest of the report would be refused anyway).
      const file = join(globals.home ?? defaultHome(), DATABASE_FILE);
      if (existsSync(file)) {
        let problems: string[] = [];
        try {
          problems = integrityProblems(file, 'integrity_check', 100);
        } catch {
          // not a database at all: the open below says so
        }
        if (problems.length > 0) {
          for (const p of problems) process.stderr.write(`integrity_check: ${p}\n`);
          throw damagedError(file, problems, 'integrity_check');
        }
      }
      await withServices(globals, async (services, out) => {
        out.result(await services.system.doctor(opts.backend, opts.wasmThreads), human);
      });
    });
}
