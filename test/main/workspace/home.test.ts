/** Temp files of dead processes (a killed import) are cleaned when a workspace opens; a live owner's stay. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureHome, processAlive, tempOwner } from '../../../src/main/workspace/home';
import { tempDir } from '../../helpers/temp';

describe('workspace temp files', () => {
  it('reads the owner PID from both temp name forms, and nothing else', () => {
    expect(tempOwner('.folder-ab12-s32.cwbcache.4242.0a1b2c3d.tmp')).toBe(4242);
    expect(tempOwner('run-3-step-40.ckpt.tmp-77')).toBe(77);
    expect(tempOwner('folder-ab12-s32.cwbcache')).toBeUndefined();
    expect(tempOwner('notes.tmp')).toBeUndefined();
  });

  it('removes cache/ and checkpoints/ temp files of dead processes at open, keeps a live owner’s and real files', () => {
    const t = tempDir();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid ?? 0;
    expect(dead).toBeGreaterThan(0);
    expect(processAlive(dead)).toBe(false);
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const home = join(t.dir, 'home');
      mkdirSync(join(home, 'cache'), { recursive: true });
      mkdirSync(join(home, 'checkpoints'), { recursive: true });
      const deadCache = join(home, 'cache', `.folder-1-s16.cwbcache.${dead}.deadbeef.tmp`);
      const deadCkpt = join(home, 'checkpoints', `run-1.ckpt.tmp-${dead}`);
      const liveCache = join(home, 'cache', `.folder-2-s16.cwbcache.${live.pid}.cafebabe.tmp`);
      const realCache = join(home, 'cache', 'folder-1-s16.cwbcache');
      for (const f of [deadCache, deadCkpt, liveCache, realCache]) writeFileSync(f, 'x');
      ensureHome(home);
      expect(existsSync(deadCache)).toBe(false);
      expect(existsSync(deadCkpt)).toBe(false);
      expect(existsSync(liveCache)).toBe(true);
      expect(existsSync(realCache)).toBe(true);
    } finally {
      live.kill();
      t.cleanup();
    }
  });
});
