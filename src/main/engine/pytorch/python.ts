/**
 * The Python the PyTorch engine runs: `CWB_PYTHON`, else `python3` on PATH. `probePython` asks it
 * for its version, torch's version, CUDA devices, MPS and CPU threads, and says in one line why the
 * engine is or is not usable (with a hint). Never throws: a missing interpreter is a report.
 */
import { spawn } from 'node:child_process';

export interface PythonReport {
  /** What was run (CWB_PYTHON or "python3"). */
  python: string;
  /** Where the choice came from. */
  source: 'CWB_PYTHON' | 'PATH';
  usable: boolean;
  /** One line: what was found, or why the engine cannot run, with a hint. */
  reason: string;
  pythonVersion: string | null;
  torchVersion: string | null;
  cuda: { available: boolean; devices: string[] };
  mps: boolean;
  cpuThreads: number | null;
}

export function pythonCommand(env: NodeJS.ProcessEnv = process.env): { python: string; source: 'CWB_PYTHON' | 'PATH' } {
  const chosen = env['CWB_PYTHON'];
  return chosen ? { python: chosen, source: 'CWB_PYTHON' } : { python: 'python3', source: 'PATH' };
}

const PROBE = `
import json, sys
out = {"python": sys.version.split()[0]}
try:
    import torch
except Exception as exc:
    out["error"] = f"{type(exc).__name__}: {exc}"
else:
    out["torch"] = torch.__version__
    out["cuda"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())] if torch.cuda.is_available() else []
    mps = getattr(getattr(torch, "backends", None), "mps", None)
    out["mps"] = bool(mps and mps.is_available())
    out["threads"] = torch.get_num_threads()
    try:
        import numpy
    except Exception as exc:
        out["error"] = f"numpy: {exc}"
print(json.dumps(out))
`;

const INSTALL_HINT = 'install PyTorch for that Python (pip install torch numpy, or Debian: apt install python3-torch python3-numpy) or point CWB_PYTHON at a Python that has it';

/** Run the probe (bounded by `timeoutMs`) and explain the outcome. */
export function probePython(env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<PythonReport> {
  const { python, source } = pythonCommand(env);
  const base: PythonReport = { python, source, usable: false, reason: '', pythonVersion: null, torchVersion: null, cuda: { available: false, devices: [] }, mps: false, cpuThreads: null };
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const done = (report: PythonReport): void => {
      if (!settled) {
        settled = true;
        resolve(report);
      }
    };
    const child = spawn(python, ['-c', PROBE], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ ...base, reason: `${python} did not answer within ${timeoutMs / 1000} s (importing torch hung?)` });
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why = err.code === 'ENOENT' ? 'not found' : err.code === 'EACCES' ? 'not executable' : err.message;
      done({ ...base, reason: `no Python for the PyTorch engine: ${python} (${source === 'CWB_PYTHON' ? 'from CWB_PYTHON' : 'on PATH'}) is ${why}; ${INSTALL_HINT}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      let parsed: { python?: string; torch?: string; cuda?: string[]; mps?: boolean; threads?: number; error?: string } = {};
      try {
        parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '') as typeof parsed;
      } catch {
        done({ ...base, reason: `${python} exited with code ${code} before reporting: ${stderr.trim().split('\n').pop() ?? ''}` });
        return;
      }
      const report: PythonReport = {
        ...base,
        pythonVersion: parsed.python ?? null,
        torchVersion: parsed.torch ?? null,
        cuda: { available: (parsed.cuda?.length ?? 0) > 0, devices: parsed.cuda ?? [] },
        mps: parsed.mps ?? false,
        cpuThreads: parsed.threads ?? null,
      };
      if (parsed.error || !parsed.torch) {
        done({ ...report, reason: `${python} (Python ${parsed.python ?? '?'}) cannot import what the engine needs (${parsed.error ?? 'torch'}); ${INSTALL_HINT}` });
        return;
      }
      const where = report.cuda.available ? `${report.cuda.devices.length} CUDA device(s): ${report.cuda.devices.join(', ')}` : report.mps ? 'Apple MPS (runs train on the CPU; MPS is not used yet)' : `CPU, ${report.cpuThreads ?? '?'} threads`;
      done({ ...report, usable: true, reason: `Python ${parsed.python} with torch ${parsed.torch} on ${where}` });
    });
  });
}
