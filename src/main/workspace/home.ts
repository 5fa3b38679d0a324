/**
 * The workspace folder (`--home`, `CWB_HOME`, or the OS app-data folder): the SQLite record, tensor
 * caches, checkpoints and exports live here. It must exist and be writable before anything opens.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { WorkbenchError } from '../../shared/errors';

export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env['CWB_HOME']) return resolve(env['CWB_HOME']);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Contrastive Workbench');
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Contrastive Workbench');
  return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'contrastive-workbench');
}

/** Create (if needed) and check the workspace; returns its absolute path. */
export function ensureHome(dir: string): string {
  const home = resolve(dir);
  try {
    mkdirSync(home, { recursive: true });
  } catch (err) {
    throw new WorkbenchError('INVALID_INPUT', `cannot create the workspace folder ${home}: ${(err as Error).message}`);
  }
  if (!statSync(home).isDirectory()) {
    throw new WorkbenchError('INVALID_INPUT', `the workspace ${home} is not a folder`);
  }
  // A real write, not access(): permission bits say nothing for root or on read-only mounts.
  const probe = join(home, `.write-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
  } catch {
    throw new WorkbenchError('INVALID_INPUT', `the workspace folder ${home} is not writable; choose another with --home`);
  }
  for (const sub of ['cache', 'checkpoints', 'exports', 'tmp']) mkdirSync(join(home, sub), { recursive: true });
  removeDeadTemps(home);
  return home;
}

/** Whether a process with this id runs (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The owner PID in a temp file's name: `.<name>.<pid>.<hex>.tmp` (tensor caches) or
 * `<name>.tmp-<pid>` (checkpoints, previews, presets); undefined for anything else.
 */
export function tempOwner(name: string): number | undefined {
  const m = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name) ?? /\.tmp-(\d+)$/.exec(name);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * Remove temp files left in `cache/` and `checkpoints/` by processes that no longer run (a killed
 * import or run); a live owner's files are left alone. Returns the paths removed.
 */
export function removeDeadTemps(home: string, alive: (pid: number) => boolean = processAlive): string[] {
  const removed: string[] = [];
  for (const sub of ['cache', 'checkpoints']) {
    const dir = join(home, sub);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = tempOwner(name);
      if (pid === undefined || pid === process.pid || alive(pid)) continue;
      try {
        rmSync(join(dir, name), { force: true, recursive: true });
        removed.push(join(dir, name));
      } catch {
        // another process got there first, or it is not ours to remove: leave it
      }
    }
  }
  return removed;
}
