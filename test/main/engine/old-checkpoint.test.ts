/**
 * A checkpoint written by an older build resumes exactly: test/fixtures/old-checkpoint/ holds a
 * workspace written by the code of its commit (see test/fixtures/make-old-checkpoint.ts) with, per
 * method, a finished reference run and the same experiment paused mid-epoch. Resuming the paused run
 * with today's code must end at the reference's final weights — which needs today's checkpoint reader,
 * method state (RNG positions included), loader order and augmentation streams to match the old ones.
 */
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../../src/main/engine/checkpoints';
import { createServices, type Services } from '../../../src/main/services/index';
import { tempDir } from '../../helpers/temp';

const FIXTURE = fileURLToPath(new URL('../../fixtures/old-checkpoint', import.meta.url));
const manifest = JSON.parse(readFileSync(join(FIXTURE, 'runs.json'), 'utf8')) as {
  home: string;
  runs: Record<string, { reference: number; paused: number }>;
};

let services: Services;
let home: string;
let cleanup: () => void;

/** The store keeps absolute paths; point every one of them at the copy. */
function relocate(file: string, from: string, to: string): void {
  const db = new Database(file);
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all() as { name: string }[];
  for (const { name } of tables) {
    const columns = db.prepare(`PRAGMA table_info("${name}")`).all() as {
      name: string;
      type: string;
    }[];
    for (const column of columns.filter((c) => c.type.toUpperCase() === 'TEXT')) {
      db.prepare(
        `UPDATE "${name}" SET "${column.name}" = replace("${column.name}", ?, ?) WHERE instr("${column.name}", ?) > 0`,
      ).run(from, to, from);
    }
  }
  db.close();
}

function weights(runId: number): Map<string, Float32Array> {
  const latest = services.ctx.store.checkpoints.latest(runId);
  if (!latest) throw new Error(`run ${runId} has no checkpoint`);
  return new Map(readCheckpoint(latest.path).method.map((a) => [a.name, a.data]));
}

beforeAll(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  home = join(t.dir, 'home');
  cpSync(join(FIXTURE, 'home'), home, { recursive: true });
  relocate(join(home, 'workbench.sqlite'), manifest.home, home);
  services = createServices({ home, front: 'browser' });
});
afterAll(async () => {
  await services.close();
  cleanup();
});

describe('a checkpoint from an older build', () => {
  it.each(Object.keys(manifest.runs))(
    '%s: resumes to the weights its uninterrupted run ended with',
    async (method) => {
      const { reference, paused } = manifest.runs[method]!;
      expect(services.runs.get(paused).status).toBe('paused');
      const before = services.ctx.store.checkpoints.latest(paused)!.step;
      const resumed = await services.runs.resume(paused).done;
      expect(resumed).toMatchObject({ status: 'completed', steps: 8 });
      expect(services.ctx.store.checkpoints.latest(paused)!.step).toBeGreaterThan(before);
      const expected = weights(reference);
      const actual = weights(paused);
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      let max = 0;
      for (const [name, x] of expected) {
        const y = actual.get(name)!;
        expect(y.length).toBe(x.length);
        for (let i = 0; i < x.length; i += 1) max = Math.max(max, Math.abs(x[i]! - y[i]!));
      }
      expect(max).toBeLessThan(1e-5);
    },
  );
});
