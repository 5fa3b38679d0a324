/**
 * The CLI under hostile and broken input (issue 16, docs/reliability.md): every file of an import
 * rejected, a workspace inside the dataset folder, an impossible port — each one clear line, a
 * documented exit code, and nothing written where it must not be.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cwbErrorLine, runCli } from '../../helpers/cli';
import { makeImageFolder } from '../../helpers/dataset';
import { tempDir } from '../../helpers/temp';

let root: string;
let cleanup: () => void;

beforeAll(() => {
  const t = tempDir();
  root = t.dir;
  cleanup = t.cleanup;
});
afterAll(() => cleanup());

function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      out.push(`${prefix}${e.name}`);
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
    }
  };
  walk(dir, '');
  return out.sort();
}

describe('an import where every file is rejected', () => {
  let junk: string;
  beforeAll(() => {
    junk = join(root, 'junk');
    mkdirSync(join(junk, 'a'), { recursive: true });
    writeFileSync(join(junk, 'a', 'one.png'), 'not a png at all');
    writeFileSync(join(junk, 'a', 'two.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01]));
    writeFileSync(join(junk, 'three.webp'), '');
  });

  it('says how many files and why, one line per file, then the error line (exit 2)', async () => {
    const r = await runCli(['--home', join(root, 'home-a'), 'dataset', 'import', junk]);
    expect(r.code).toBe(2);
    const line = cwbErrorLine(r.stderr) ?? '';
    expect(line).toMatch(/none of the 3 file\(s\) in .*junk could be imported: \d+ × /);
    expect(line).not.toMatch(/none of the 0 files/);
    for (const f of ['one.png', 'two.jpg', 'three.webp']) expect(r.stderr).toMatch(new RegExp(`skipped .*${f.replace('.', '\\.')}: \\S`));
    expect(r.stdout).toBe('');
  });

  it('prints the reply shape with every reason under --json', async () => {
    const r = await runCli(['--home', join(root, 'home-a'), '--json', 'dataset', 'import', junk]);
    expect(r.code).toBe(2);
    const reply = JSON.parse(r.stdout) as { datasetId: null; imported: number; skipped: Array<{ path: string; reason: string }>; error: { code: string; message: string } };
    expect(reply.datasetId).toBeNull();
    expect(reply.imported).toBe(0);
    expect(reply.skipped.map((s) => s.path.split(/[/\\]/).pop()).sort()).toEqual(['one.png', 'three.webp', 'two.jpg']);
    for (const s of reply.skipped) expect(s.reason.length).toBeGreaterThan(0);
    expect(reply.error.code).toBe('INVALID_INPUT');
    expect(reply.error.message).toMatch(/none of the 3 file\(s\)/);
  });
});

describe('a --home inside the dataset folder', () => {
  it('is refused before anything is written (import and train --dataset <dir>)', async () => {
    const data = await makeImageFolder(join(root, 'pictures'), ['x', 'y'], 3);
    const before = listing(data);
    for (const args of [
      ['--home', join(data, 'workspace'), 'dataset', 'import', data],
      ['--home', join(data, 'x', 'deeper', 'ws'), 'dataset', 'import', data],
      ['--home', data, 'dataset', 'import', data],
      ['--home', join(data, 'ws'), 'train', '--dataset', data, '--method', 'simclr', '--epochs', '1'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(cwbErrorLine(r.stderr)).toMatch(/the workspace .* is inside the dataset folder .*choose a --home outside it/);
      expect(listing(data), args.join(' ')).toEqual(before);
    }
    expect(existsSync(join(data, 'workspace'))).toBe(false);
  });
});

describe('cwb serve with an impossible port', () => {
  it('gives one clear line and exit code 2, with no Node stack', async () => {
    for (const port of ['99999', '-1']) {
      const r = await runCli(['--home', join(root, 'home-s'), 'serve', '--port', port]);
      expect(r.code, r.stderr).toBe(2);
      expect(cwbErrorLine(r.stderr)).toMatch(new RegExp(`--port ${port} is not a TCP port; use 0-65535`));
      expect(r.stderr).not.toMatch(/RangeError|ERR_SOCKET_BAD_PORT|at .*\.js:\d+/);
    }
  });

  it('no longer offers --no-token', async () => {
    const help = await runCli(['serve', '--help']);
    expect(help.stdout).not.toMatch(/no-token/);
    const r = await runCli(['--home', join(root, 'home-s'), 'serve', '--no-token', '--port', '0']);
    expect(r.code).toBe(2);
  });
});

describe('stderr on failure is one line', () => {
  it('a failing command that starts the engine prints exactly its one cwb line (Dawn stays quiet without --verbose)', async () => {
    const home = join(root, 'home-quiet');
    // Probes every backend (Dawn included) in the engine, then fails where CUDA's build is absent.
    const r = await runCli(['--home', home, 'doctor', '--backend', 'tensorflow']);
    if (r.code !== 0) {
      expect(r.code).toBe(4);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^cwb: backend "tensorflow" is not available: /) as string]);
    }
    const doctor = await runCli(['--home', home, 'doctor', '--json']);
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.stderr).not.toMatch(/^Warning: max/m);
    const verbose = await runCli(['--home', home, '--verbose', 'doctor', '--json']);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(JSON.parse(verbose.stdout)).toMatchObject({ backend: expect.any(String) as string });
  }, 120_000);
});
