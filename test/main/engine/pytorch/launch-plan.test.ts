/** launch-plan.ts: how many PyTorch processes a run starts, on what, with how many threads each. */
import { describe, expect, it } from 'vitest';
import { launchArgs, launchPlan, launchRequest, type DeviceReport } from '../../../../src/main/engine/pytorch/launch-plan';

const gpus = (n: number): DeviceReport => ({ cuda: { devices: Array.from({ length: n }, (_, i) => `NVIDIA H100 #${i}`) }, mps: false });
const mps: DeviceReport = { cuda: { devices: [] }, mps: true };
const SCRIPT = ['train.py', '--feed', 'feed.json'];

describe('launchPlan', () => {
  it('0 CUDA devices: one CPU process with every thread', () => {
    const plan = launchPlan(gpus(0), { device: 'auto', cpuThreads: 8 });
    expect(plan).toMatchObject({ device: 'cpu', processes: 1, torchrun: false, backend: null, threadsPerProcess: 8 });
    expect(launchArgs(plan, SCRIPT)).toEqual([...SCRIPT, '--device', 'cpu', '--threads', '8']);
  });

  it('1 CUDA device: one plain process on it, torch picks its threads', () => {
    const plan = launchPlan(gpus(1), { device: 'auto', cpuThreads: 8, cpuProcesses: 3 });
    expect(plan).toMatchObject({ device: 'cuda', processes: 1, torchrun: false, backend: null, threadsPerProcess: null });
    expect(launchArgs(plan, SCRIPT)).toEqual([...SCRIPT, '--device', 'cuda']);
  });

  it('4 CUDA devices: torchrun, one NCCL process per device', () => {
    const plan = launchPlan(gpus(4), { device: 'auto', cpuThreads: 8 });
    expect(plan).toMatchObject({ device: 'cuda', processes: 4, torchrun: true, backend: 'nccl', threadsPerProcess: null });
    expect(plan.reason).toContain('4 CUDA device(s)');
    expect(launchArgs(plan, SCRIPT, 41234)).toEqual(['-m', 'torch.distributed.run', '--nnodes=1', '--rdzv_backend=c10d', '--rdzv_endpoint=127.0.0.1:41234', '--rdzv_id=cwb-41234', '--nproc_per_node=4', '--redirects', '2', '--tee', '2', ...SCRIPT, '--device', 'cuda']);
    expect(() => launchArgs(plan, SCRIPT)).toThrow(/free rendezvous port/);
  });

  it('--device cpu on a GPU machine: the CPU, however many GPUs', () => {
    expect(launchPlan(gpus(4), { device: 'cpu', cpuThreads: 2 })).toMatchObject({ device: 'cpu', processes: 1, torchrun: false, threadsPerProcess: 2 });
  });

  it('Apple MPS: the CPU (MPS not used yet), and says so', () => {
    const plan = launchPlan(mps, { device: 'auto', cpuThreads: 10 });
    expect(plan).toMatchObject({ device: 'cpu', processes: 1, threadsPerProcess: 10 });
    expect(plan.reason).toContain('MPS is not used yet');
    expect(() => launchPlan(mps, { device: 'cuda', cpuThreads: 10 })).toThrow(/no CUDA device \(this machine has Apple MPS/);
  });

  it('CWB_TORCH_NPROC=2 on the CPU: two gloo processes under torchrun sharing the threads', () => {
    const plan = launchPlan(gpus(0), { device: 'auto', cpuThreads: 5, cpuProcesses: 2 });
    expect(plan).toMatchObject({ device: 'cpu', processes: 2, torchrun: true, backend: 'gloo', threadsPerProcess: 2 });
    expect(launchArgs(plan, SCRIPT, 50001)).toEqual(['-m', 'torch.distributed.run', '--nnodes=1', '--rdzv_backend=c10d', '--rdzv_endpoint=127.0.0.1:50001', '--rdzv_id=cwb-50001', '--nproc_per_node=2', '--redirects', '2', '--tee', '2', ...SCRIPT, '--device', 'cpu', '--threads', '2']);
    // More processes than threads: one thread each.
    expect(launchPlan(gpus(0), { device: 'cpu', cpuThreads: 2, cpuProcesses: 4 }).threadsPerProcess).toBe(1);
  });

  it('reads CWB_TORCH_THREADS and CWB_TORCH_NPROC from the environment', () => {
    expect(launchRequest({}, 'auto', 16)).toEqual({ device: 'auto', cpuThreads: 16 });
    expect(launchRequest({ CWB_TORCH_THREADS: '4', CWB_TORCH_NPROC: '2' }, 'cpu', 16)).toEqual({ device: 'cpu', cpuThreads: 4, cpuProcesses: 2 });
    expect(() => launchPlan(gpus(0), launchRequest({ CWB_TORCH_NPROC: 'many' }, 'auto', 4))).toThrow('CWB_TORCH_NPROC must be a whole number ≥ 1, got NaN');
  });

  it('refuses --device cuda without CUDA, and a process or thread count that is not a whole number ≥ 1', () => {
    expect(() => launchPlan(gpus(0), { device: 'cuda', cpuThreads: 2 })).toThrow('--device cuda: torch sees no CUDA device');
    expect(() => launchPlan(gpus(0), { device: 'auto', cpuThreads: 2, cpuProcesses: 0 })).toThrow('CWB_TORCH_NPROC must be a whole number ≥ 1, got 0');
    expect(() => launchPlan(gpus(0), { device: 'auto', cpuThreads: 2, cpuProcesses: Number('two') })).toThrow('CWB_TORCH_NPROC must be a whole number ≥ 1, got NaN');
    expect(() => launchPlan(gpus(0), { device: 'auto', cpuThreads: 1.5 })).toThrow('CWB_TORCH_THREADS must be a whole number ≥ 1');
  });
});
