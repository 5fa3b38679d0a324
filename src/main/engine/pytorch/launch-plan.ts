/**
 * How many Python processes a PyTorch run starts, on what, with how many threads each: a pure
 * function of what `probePython` found and what was asked for, so the choice is explicit and tested.
 * - CUDA devices (and not `--device cpu`): one process per device — torchrun with NCCL when there
 *   are several, else one plain process.
 * - Otherwise the CPU (Apple MPS is reported but not used yet): one process with all the CPU threads,
 *   or — `CWB_TORCH_NPROC=N` — N gloo processes under torchrun sharing the threads (each gets
 *   ⌊threads / N⌋, at least 1). Several CPU processes are slower than one on a small machine; the
 *   option is there to exercise the distributed path (DDP, gathered negatives, collective Sinkhorn)
 *   on a machine without GPUs.
 */
import { WorkbenchError } from '../../../shared/errors';

export interface DeviceReport {
  cuda: { devices: readonly string[] };
  mps: boolean;
}

export interface LaunchRequest {
  device: 'auto' | 'cpu' | 'cuda';
  /** CPU threads the run may use (CWB_TORCH_THREADS, else the machine's). */
  cpuThreads: number;
  /** CPU processes (CWB_TORCH_NPROC); default 1. Ignored when the run trains on CUDA. */
  cpuProcesses?: number;
}

export interface LaunchPlan {
  /** 'cuda' or 'cpu': what train.py is told (`--device`). */
  device: 'cuda' | 'cpu';
  processes: number;
  /** Under torchrun (`python -m torch.distributed.run --nproc_per_node=processes`). */
  torchrun: boolean;
  /** torch.distributed backend when there are several processes. */
  backend: 'nccl' | 'gloo' | null;
  /** `--threads` for each CPU process; null on CUDA (torch's default). */
  threadsPerProcess: number | null;
  /** One line: why this plan. */
  reason: string;
}

/** The request the environment makes: CWB_TORCH_THREADS (else `cpuCount`) and CWB_TORCH_NPROC. */
export function launchRequest(env: NodeJS.ProcessEnv, device: LaunchRequest['device'], cpuCount: number): LaunchRequest {
  return {
    device,
    cpuThreads: env['CWB_TORCH_THREADS'] ? Number(env['CWB_TORCH_THREADS']) : cpuCount,
    ...(env['CWB_TORCH_NPROC'] ? { cpuProcesses: Number(env['CWB_TORCH_NPROC']) } : {}),
  };
}

export function launchPlan(report: DeviceReport, req: LaunchRequest): LaunchPlan {
  const gpus = report.cuda.devices.length;
  const nproc = req.cpuProcesses ?? 1;
  if (!Number.isInteger(nproc) || nproc < 1) throw new WorkbenchError('INVALID_INPUT', `CWB_TORCH_NPROC must be a whole number ≥ 1, got ${String(req.cpuProcesses)}`);
  if (!Number.isInteger(req.cpuThreads) || req.cpuThreads < 1) throw new WorkbenchError('INVALID_INPUT', `CWB_TORCH_THREADS must be a whole number ≥ 1, got ${String(req.cpuThreads)}`);
  if (req.device === 'cuda' && gpus === 0) throw new WorkbenchError('UNAVAILABLE', `--device cuda: torch sees no CUDA device${report.mps ? ' (this machine has Apple MPS, which the engine does not use yet)' : ''}; train on the CPU with --device cpu or auto`);
  if (req.device !== 'cpu' && gpus > 0) {
    return { device: 'cuda', processes: gpus, torchrun: gpus > 1, backend: gpus > 1 ? 'nccl' : null, threadsPerProcess: null, reason: `${gpus} CUDA device(s): one process per device${gpus > 1 ? ' (torchrun, NCCL)' : ''}` };
  }
  const why = req.device === 'cpu' ? 'the CPU was asked for' : report.mps ? 'no CUDA device (MPS is not used yet)' : 'no CUDA device';
  const threads = Math.max(1, Math.floor(req.cpuThreads / nproc));
  if (nproc === 1) return { device: 'cpu', processes: 1, torchrun: false, backend: null, threadsPerProcess: threads, reason: `${why}: one CPU process, ${threads} thread(s)` };
  return { device: 'cpu', processes: nproc, torchrun: true, backend: 'gloo', threadsPerProcess: threads, reason: `${why}: ${nproc} CPU processes (CWB_TORCH_NPROC, torchrun, gloo), ${threads} thread(s) each` };
}

/**
 * The Python command line of a plan: train.py's own arguments, under torchrun when the plan says so.
 * Under torchrun the rendezvous is local on `rendezvousPort` (a free port the caller picked):
 * `--standalone` would pin it to localhost:29400 in torch 1.13, so two runs at once (two workspaces,
 * a test beside a run) met in one store and failed with RendezvousConnectionError.
 */
export function launchArgs(plan: LaunchPlan, script: readonly string[], rendezvousPort?: number): string[] {
  const args = [...script, '--device', plan.device];
  if (plan.threadsPerProcess !== null) args.push('--threads', String(plan.threadsPerProcess));
  if (!plan.torchrun) return args;
  if (rendezvousPort === undefined || !Number.isInteger(rendezvousPort) || rendezvousPort < 1 || rendezvousPort > 65535) {
    throw new RangeError(`launchArgs: a torchrun plan needs a free rendezvous port, got ${rendezvousPort}`);
  }
  // torchrun as a module so the chosen Python runs it; "--redirects 2 --tee 2": see run_local.sh.
  const rendezvous = ['--rdzv_backend=c10d', `--rdzv_endpoint=127.0.0.1:${rendezvousPort}`, `--rdzv_id=cwb-${rendezvousPort}`];
  return ['-m', 'torch.distributed.run', '--nnodes=1', ...rendezvous, `--nproc_per_node=${plan.processes}`, '--redirects', '2', '--tee', '2', ...args];
}
