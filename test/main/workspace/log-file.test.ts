import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogFile, logFilePath } from '../../../src/main/workspace/log-file';
import { tempDir } from '../../helpers/temp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
function home(): string {
  const { dir, cleanup } = tempDir('cwb-log-');
  cleanups.push(cleanup);
  return dir;
}

describe('rotating log file', () => {
  it('lives in <workspace>/logs and writes one timestamped line per call', () => {
    const dir = home();
    const log = new LogFile(logFilePath(dir), { now: () => new Date('2026-01-02T03:04:05.000Z') });
    log.write('error', 'store: cannot open\nsecond line');
    expect(log.path).toBe(join(dir, 'logs', 'workbench.log'));
    expect(readFileSync(log.path, 'utf8')).toBe('2026-01-02T03:04:05.000Z ERROR store: cannot open second line\n');
  });

  it('rotates by size and keeps only the newest files', () => {
    const dir = home();
    const log = new LogFile(logFilePath(dir), { maxBytes: 100, keep: 2 });
    for (let i = 0; i < 20; i += 1) log.write('info', `line ${String(i).padStart(2, '0')} ${'x'.repeat(20)}`);
    const files = readdirSync(join(dir, 'logs')).sort();
    expect(files).toEqual(['workbench.log', 'workbench.log.1', 'workbench.log.2']);
    for (const file of files) expect(readFileSync(join(dir, 'logs', file)).length).toBeLessThanOrEqual(100);
    expect(readFileSync(log.path, 'utf8')).toContain('line 19');
    expect(readFileSync(`${log.path}.2`, 'utf8')).not.toContain('line 00');
    expect(existsSync(`${log.path}.3`)).toBe(false);
  });
});
