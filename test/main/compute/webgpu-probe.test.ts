/**
 * The WebGPU adapter probe runs Dawn in a child process so its native stderr lines (`Warning:
 * maxDynamic…`) never reach ours unless --verbose (CWB_VERBOSE=1). A stand-in module plays Dawn:
 * it writes those lines to the child's fd 2 and offers one software adapter.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { probeOnce } from '../../../src/main/compute/webgpu-probe';
import { tempDir } from '../../helpers/temp';

const cleanups: (() => void)[] = [];
afterEach(() => {
  cleanups.splice(0).forEach((c) => c());
  vi.restoreAllMocks();
  delete process.env['CWB_VERBOSE'];
});

function fakeDawn(body: string): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const file = join(t.dir, 'fake-webgpu.cjs');
  writeFileSync(file, body);
  return file;
}

const NOISY = `
const fs = require('fs');
fs.writeSync(2, 'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.\\n');
module.exports = {
  globals: {},
  create: () => ({ requestAdapter: async () => ({ isFallbackAdapter: false, info: { vendor: 'mesa', device: 'llvmpipe', description: 'software' } }) }),
};`;

describe('webgpu adapter probe', () => {
  it('reports the adapter and keeps Dawn’s stderr lines off ours', async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    const probe = await probeOnce(fakeDawn(NOISY), 20_000);
    expect(probe).toEqual({ found: true, isFallbackAdapter: false, info: { vendor: 'mesa', device: 'llvmpipe', description: 'software' } });
    expect(written.join('')).toBe('');
  });

  it('passes them through with --verbose', async () => {
    process.env['CWB_VERBOSE'] = '1';
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    await probeOnce(fakeDawn(NOISY), 20_000);
    expect(written.join('')).toMatch(/^Warning: maxDynamicUniformBuffersPerPipelineLayout/);
  });

  it('no adapter, a module that throws, and a hung probe are answers, not crashes', async () => {
    expect(await probeOnce(fakeDawn(`module.exports = { globals: {}, create: () => ({ requestAdapter: async () => null }) };`), 20_000)).toEqual({ found: false });
    const broken = await probeOnce(fakeDawn(`process.stderr.write('native init failed\\n'); throw new Error('no ICD');`), 20_000);
    expect(broken.found).toBe(false);
    expect(broken.error).toMatch(/exited with code 1: /);
    const hung = await probeOnce(fakeDawn(`module.exports = { globals: {}, create: () => ({ requestAdapter: () => new Promise(() => setInterval(() => {}, 1000)) }) };`), 1500);
    expect(hung).toMatchObject({ found: false, error: expect.stringMatching(/stopped \(SIGKILL\)/) as string });
  });
});
