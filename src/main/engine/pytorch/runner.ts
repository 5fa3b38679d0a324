/**
 * The PyTorch engine's runner: writes the run's project (the same generator as `cwb export
 * --format pytorch-project`) and its data feed (the workbench's tensor cache and the record
 * indices of each split) into the run's folder, launches train.py as launch-plan.ts decides — one
 * process, torchrun with one process per GPU when there are several CUDA devices, or
 * CWB_TORCH_NPROC gloo processes on the CPU — and turns its JSON-lines event stream (rank 0's)
 * into the engine's events (started, step, epoch, checkpoint). Pause and cancel write the control
 * file (the script checkpoints after the current step and exits); a Python killed from outside is
 * an interruption (resumable with `--resume`); a failure is one line and a hint.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { WorkbenchError } from '../../../shared/errors';
import type { LoaderItem } from '../../data/loader';
import { pytorchProjectFiles, type PytorchProjectInput } from '../../export/pytorch/index';
import { EXECUTABLE_FILES } from '../../export/pytorch/index';
import { launchArgs, launchPlan, launchRequest } from './launch-plan';
import { probePython, pythonCommand, type PythonReport } from './python';

export const EVENT_MARKER = '@cwb-event ';

export interface PytorchRunRequest {
  project: PytorchProjectInput;
  /** The run's project folder; training output goes to `<dir>/output`. */
  dir: string;
  data: { cacheFile: string; train: LoaderItem[]; val: LoaderItem[]; numClasses: number };
  resume: boolean;
  /** Force the CPU even when CUDA is there (tests, benchmarks). */
  device?: 'auto' | 'cpu' | 'cuda';
  /** Stop after this many steps in total (benchmarks). */
  maxSteps?: number;
  env?: NodeJS.ProcessEnv;
}

export interface PytorchRunHooks {
  signal: AbortSignal;
  /** What an abort asks the script to do. */
  stopAs: () => 'pause' | 'cancel';
  /** Engine events in stream order; a returned promise is awaited before the next event. */
  onEvent: (event: string, payload: Record<string, unknown>) => void | Promise<void>;
}

export interface PytorchRunResult {
  status: 'completed' | 'cancelled';
  steps: number;
  epochs: number;
  finalLoss: number | null;
  imagesPerSecond: number | null;
  knnAccuracy: number | null;
  python: PythonReport;
}

/** The Python process ended without saying why (kill -9, OOM killer): resumable from its last checkpoint. */
export class PytorchInterrupted extends Error {
  override readonly name = 'PytorchInterrupted';
}

export function outputDir(dir: string): string {
  return join(dir, 'output');
}

/** True when the run's project holds a checkpoint train.py can resume from. */
export function hasTorchCheckpoint(dir: string): boolean {
  return existsSync(join(outputDir(dir), 'checkpoint.pt'));
}

function writeProject(req: PytorchRunRequest): void {
  const files = pytorchProjectFiles(req.project);
  mkdirSync(outputDir(req.dir), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const path = join(req.dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { mode: EXECUTABLE_FILES.has(name) ? 0o755 : 0o644 });
  }
  const feed = { cacheFile: req.data.cacheFile, train: req.data.train, val: req.data.val, numClasses: req.data.numClasses };
  writeFileSync(join(req.dir, 'feed.json'), JSON.stringify(feed));
  rmSync(join(outputDir(req.dir), 'control'), { force: true });
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it), for torchrun's local rendezvous. */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function runPytorch(req: PytorchRunRequest, hooks: PytorchRunHooks): Promise<PytorchRunResult> {
  const env = req.env ?? process.env;
  const python = await probePython(env);
  if (!python.usable) throw new WorkbenchError('UNAVAILABLE', python.reason);
  if (req.resume && !hasTorchCheckpoint(req.dir)) throw new WorkbenchError('CONFLICT', `no PyTorch checkpoint in ${outputDir(req.dir)} to resume from; start a new run`);
  writeProject(req);
  const out = outputDir(req.dir);
  const plan = launchPlan(python, launchRequest(env, req.device ?? 'auto', availableParallelism()));
  const script = ['train.py', '--feed', join(req.dir, 'feed.json'), '--out', out, '--workers', '0'];
  if (req.resume) script.push('--resume');
  if (req.maxSteps !== undefined) script.push('--max-steps', String(req.maxSteps));
  const args = launchArgs(plan, script, plan.torchrun ? await freeLocalPort() : undefined);
  const child = spawn(pythonCommand(env).python, args, { cwd: req.dir, env: { ...env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', CWB_PARENT_PID: String(process.pid) }, stdio: ['ignore', 'pipe', 'pipe'] });

  let chain: Promise<void> = Promise.resolve();
  let eventError: unknown = null;
  let done: Record<string, unknown> | null = null;
  let stopped = false;
  let failed: { message: string; hint: string | null } | null = null;
  let knn: number | null = null;
  let stderrTail = '';
  let buffered = '';
  const handle = (line: string): void => {
    if (!line.startsWith(EVENT_MARKER)) return;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line.slice(EVENT_MARKER.length)) as Record<string, unknown>;
    } catch {
      return;
    }
    const kind = String(event['event']);
    if (kind === 'done') done = event;
    else if (kind === 'stopped') stopped = true;
    else if (kind === 'failed') failed = { message: String(event['message']), hint: typeof event['hint'] === 'string' ? event['hint'] : null };
    else {
      if (kind === 'epoch' && typeof event['knnAccuracy'] === 'number') knn = event['knnAccuracy'];
      chain = chain.then(async () => {
        if (eventError) return;
        try {
          await hooks.onEvent(kind, event);
        } catch (err) {
          eventError = err;
          child.kill('SIGTERM');
        }
      });
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) handle(line);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-8192);
  });

  let stopRequested = false;
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    stopRequested = true;
    try {
      writeFileSync(join(out, 'control'), hooks.stopAs());
    } catch {
      child.kill('SIGTERM');
    }
    // A script stuck outside its step loop still ends.
    killTimer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  };
  if (hooks.signal.aborted) onAbort();
  else hooks.signal.addEventListener('abort', onAbort, { once: true });

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, sig) => resolve({ code, signal: sig }));
  }).finally(() => {
    hooks.signal.removeEventListener('abort', onAbort);
    if (killTimer) clearTimeout(killTimer);
  });
  if (buffered) handle(buffered);
  await chain;
  if (eventError) throw eventError;
  if (failed) {
    const f = failed as { message: string; hint: string | null };
    throw new WorkbenchError('INTERNAL', `PyTorch run failed: ${f.message}${f.hint ? ` — ${f.hint}` : ''}`);
  }
  const finished = done as Record<string, unknown> | null;
  if (exit.code === 0 && finished) {
    const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return { status: 'completed', steps: num(finished['steps']) ?? 0, epochs: num(finished['epochs']) ?? 0, finalLoss: num(finished['finalLoss']), imagesPerSecond: num(finished['imagesPerSecond']), knnAccuracy: knn, python };
  }
  if (exit.code === 0 && (stopped || stopRequested)) return { status: 'cancelled', steps: 0, epochs: 0, finalLoss: null, imagesPerSecond: null, knnAccuracy: knn, python };
  // torchrun itself exits 1 when a rank dies; its failure summary names the rank's signal.
  const rankKilled = plan.torchrun && /exitcode\s*:\s*-9\b/.test(stderrTail);
  if (exit.signal || exit.code === 137 || exit.code === -9 || rankKilled) {
    throw new PytorchInterrupted(`interrupted: the PyTorch process ended (${exit.signal ?? `exit ${exit.code}`}); resume continues from its last checkpoint`);
  }
  const last = stderrTail.trim().split('\n').filter((l) => l.trim()).pop() ?? '';
  throw new WorkbenchError('INTERNAL', `PyTorch run failed: train.py exited with code ${exit.code}${last ? `: ${last.trim()}` : ''}`);
}
