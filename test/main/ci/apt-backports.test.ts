/**
 * `.ci/run` names no package host: the bookworm-backports source is derived from the machine's own
 * APT sources (.ci/apt-backports.sh). Exercised here on temp roots with one-line and deb822 files.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp';

const SCRIPT = fileURLToPath(new URL('../../../.ci/apt-backports.sh', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function root(files: Record<string, string>): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  for (const [name, text] of Object.entries(files)) {
    const file = join(t.dir, 'etc', 'apt', name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  return t.dir;
}

function backports(dir: string): { code: number | null; out: string } {
  const r = spawnSync('bash', ['-c', `. "${SCRIPT}" && backports_line "$1"`, 'test', dir], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout.trim() };
}

describe('.ci/apt-backports.sh', () => {
  it('takes the mirror of the bookworm line in sources.list (options, comments and other suites skipped)', () => {
    const dir = root({
      'sources.list': [
        '# deb http://commented.example/debian bookworm main',
        'deb http://security.example/debian-security bookworm-security main',
        'deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian/ bookworm main contrib',
        'deb http://later.example/debian bookworm main',
      ].join('\n'),
    });
    expect(backports(dir)).toEqual({ code: 0, out: 'deb http://mirror.example/debian bookworm-backports main' });
  });

  it('reads sources.list.d/*.list when sources.list has none', () => {
    const dir = root({ 'sources.list': '', 'sources.list.d/local.list': 'deb https://local.example/debian bookworm main\n' });
    expect(backports(dir)).toEqual({ code: 0, out: 'deb https://local.example/debian bookworm-backports main' });
  });

  it('reads deb822 .sources (URIs: of the stanza whose Suites: has bookworm)', () => {
    const dir = root({
      'sources.list.d/debian.sources': [
        'Types: deb',
        'URIs: http://deb822.example/debian',
        'Suites: bookworm bookworm-updates',
        'Components: main',
        'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
        '',
        'Types: deb',
        'URIs: http://deb822-security.example/debian-security',
        'Suites: bookworm-security',
        'Components: main',
      ].join('\n'),
    });
    expect(backports(dir)).toEqual({ code: 0, out: 'deb http://deb822.example/debian bookworm-backports main' });
  });

  it('fails (status 1, no output) when no source serves bookworm', () => {
    const dir = root({ 'sources.list': 'deb http://other.example/ubuntu noble main\n', 'sources.list.d/x.sources': 'Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n' });
    expect(backports(dir)).toEqual({ code: 1, out: '' });
  });

  it('.ci/run itself names no host', () => {
    const run = readFileSync(fileURLToPath(new URL('../../../.ci/run', import.meta.url)), 'utf8');
    expect(run).not.toMatch(/https?:\/\//);
  });
});
