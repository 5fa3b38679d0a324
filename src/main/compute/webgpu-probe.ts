/**
 * Looking for a WebGPU adapter without Dawn's native stderr noise.
 *
 * Bringing up Dawn makes it (and the Vulkan drivers under it) write to file descriptor 2 from native
 * code — e.g. `Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced …` — out of
 * reach of `process.stderr`, and Node cannot redirect fd 2 of its own process safely while other
 * threads open files and sockets. So the probe runs in a short-lived child process whose stderr is
 * a pipe: dropped unless `--verbose` (`CWB_VERBOSE=1`), passed through when it is, and its last line
 * quoted when the probe itself fails. Only a backend that is then really activated (a hardware
 * adapter, or `--backend webgpu`) brings Dawn into this process.
 */
import { spawn } from 'node:child_process';

export interface AdapterProbe {
  /** No adapter at all. */
  found: boolean;
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  /** Set when Dawn could not be loaded or the probe failed; the adapter fields are then absent. */
  error?: string;
}

const CHILD = `
const webgpu = require(process.argv[1]);
Object.assign(globalThis, webgpu.globals);
const done = (o) => process.stdout.write(JSON.stringify(o) + '\\n', () => process.exit(0));
webgpu.create([]).requestAdapter().then((a) => {
  if (!a) return done({ found: false });
  const i = a.info || {};
  done({ found: true, isFallbackAdapter: Boolean(a.isFallbackAdapter), info: { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description } });
}, (e) => done({ found: false, error: String((e && e.message) || e) }));
`;

export function verbose(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['CWB_VERBOSE'] === '1';
}

let cached: Promise<AdapterProbe> | undefined;

/** Ask a child process (once per process: adapters do not come and go) for Dawn's first adapter. */
export function probeAdapterQuietly(modulePath: string, timeoutMs = 30_000): Promise<AdapterProbe> {
  cached ??= probeOnce(modulePath, timeoutMs);
  return cached;
}

/** One probe, uncached (tests use it with a stand-in module). */
export function probeOnce(modulePath: string, timeoutMs: number): Promise<AdapterProbe> {
  return new Promise((resolve) => {
    // Under Electron, execPath is the app: ELECTRON_RUN_AS_NODE makes it a plain Node.
    const child = spawn(process.execPath, ['-e', CHILD, modulePath], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
      if (verbose()) process.stderr.write(c);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ found: false, error: e.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as AdapterProbe);
      } catch {
        const last = err.trim().split('\n').filter(Boolean).pop();
        resolve({ found: false, error: `the adapter probe ${signal ? `was stopped (${signal})` : `exited with code ${code}`}${last ? `: ${last}` : ''}` });
      }
    });
  });
}
