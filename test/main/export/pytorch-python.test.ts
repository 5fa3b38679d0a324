/**
 * The generated PyTorch project's fixed files are real files under resources/pytorch-project/:
 * every .py byte-compiles with the Python the engine uses, the exporter copies them verbatim, and
 * the `{{NAME}}` parameter mechanism refuses unfilled or unknown markers.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillTemplate, projectResourceDir, pythonFiles } from '../../../src/main/export/pytorch/project-files';
import { runLocalSh } from '../../../src/main/export/pytorch/templates';
import { tempDir } from '../../helpers/temp';

const PYTHON = process.env['CWB_PYTHON'] ?? '/usr/bin/python3';
const hasPython = spawnSync(PYTHON, ['-c', 'pass']).status === 0;
if (!hasPython && process.env['CI'] === 'true') throw new Error(`${PYTHON} is needed to byte-compile the PyTorch project`);

describe('resources/pytorch-project', () => {
  const dir = projectResourceDir();
  const onDisk = readdirSync(dir).filter((n) => n.endsWith('.py')).sort();

  it.runIf(hasPython)('every .py file byte-compiles (python3 -m py_compile)', () => {
    expect(onDisk.length).toBeGreaterThanOrEqual(11);
    const cache = tempDir();
    try {
      // PYTHONPYCACHEPREFIX keeps __pycache__ out of resources/.
      const run = spawnSync(PYTHON, ['-m', 'py_compile', ...onDisk.map((n) => join(dir, n))], { encoding: 'utf8', env: { ...process.env, PYTHONPYCACHEPREFIX: cache.dir } });
      expect(run.status, run.stderr).toBe(0);
    } finally {
      cache.cleanup();
    }
  });

  it.runIf(hasPython)('py_compile really fails on a syntax error (the check can fail)', () => {
    const t = tempDir();
    try {
      const bad = join(t.dir, 'bad.py');
      writeFileSync(bad, 'def f(:\n  pass\n');
      const run = spawnSync(PYTHON, ['-m', 'py_compile', bad], { encoding: 'utf8', env: { ...process.env, PYTHONPYCACHEPREFIX: t.dir } });
      expect(run.status).not.toBe(0);
    } finally {
      t.cleanup();
    }
  });

  it('the exporter ships every .py file byte for byte', () => {
    const files = pythonFiles();
    expect(Object.keys(files).sort()).toEqual(onDisk);
    for (const name of onDisk) expect(files[name], name).toBe(readFileSync(join(dir, name), 'utf8'));
  });

  it('run_local.sh gets its two parameters and nothing else', () => {
    const text = runLocalSh("/data/it's", 0);
    expect(text).toContain(`DEFAULT_DATA='/data/it'\\''s'`);
    expect(text).toContain('--epochs 1 ');
    expect(text).not.toMatch(/\{\{/);
  });

  it('fillTemplate refuses a marker without a value and a value without a marker', () => {
    expect(fillTemplate('t', 'a {{X}} b', { X: '1' })).toBe('a 1 b');
    expect(() => fillTemplate('t', 'a {{X}} {{Y}}', { X: '1' })).toThrow('no value for {{Y}}');
    expect(() => fillTemplate('t', 'a {{X}}', { X: '1', Z: '2' })).toThrow('no {{Z}} marker');
  });
});
