import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickFolder, showInFolder, type DesktopPort } from '../../../src/main/services/desktop';
import { listFolders, MAX_FOLDERS } from '../../../src/main/services/folders';
import { tempDir } from '../../helpers/temp';

const t = tempDir('cwb-folders-');
const home = join(t.dir, 'home');
const outside = join(t.dir, 'outside');

beforeAll(() => {
  for (const dir of ['pictures/cats', 'pictures/dogs', 'pictures/.thumbnails', 'documents', 'empty']) mkdirSync(join(home, dir), { recursive: true });
  mkdirSync(outside, { recursive: true });
  for (const file of ['a.jpg', 'b.PNG', 'c.webp', 'notes.txt']) writeFileSync(join(home, 'pictures', 'cats', file), '');
  writeFileSync(join(home, 'pictures', 'top.jpeg'), '');
  writeFileSync(join(home, 'file.txt'), '');
  symlinkSync(outside, join(home, 'escape'));
  symlinkSync(join(home, 'pictures', 'dogs'), join(home, 'dogs-link'));
});
afterAll(() => t.cleanup());

describe('folder browser (files:folders)', () => {
  it('lists the sub-folders of the root with image and folder counts, hidden folders and files left out', () => {
    const root = listFolders(home);
    expect(root.parent).toBeNull();
    expect(root.folders.map((f) => f.name)).toEqual(['documents', 'dogs-link', 'empty', 'pictures']);
    const pictures = listFolders(home, join(home, 'pictures'));
    expect(pictures.parent).toBe(root.path);
    expect(pictures.images).toBe(1);
    expect(pictures.folders.map(({ name, images, folders }) => ({ name, images, folders }))).toEqual([
      { name: 'cats', images: 3, folders: 0 },
      { name: 'dogs', images: 0, folders: 0 },
    ]);
    expect(root.folders.find((f) => f.name === 'pictures')).toMatchObject({ images: 1, folders: 2 });
  });

  it('accepts a path relative to the root and follows a link that stays inside', () => {
    expect(listFolders(home, 'pictures/cats').images).toBe(3);
    expect(listFolders(home, join(home, 'dogs-link')).path).toBe(listFolders(home, join(home, 'pictures', 'dogs')).path);
  });

  it('refuses anything outside the root, through .. or a symbolic link, with a clear reason', () => {
    expect(() => listFolders(home, join(home, '..'))).toThrow(/is outside .*under your home only/);
    expect(() => listFolders(home, '/')).toThrow(/is outside/);
    expect(() => listFolders(home, join(home, 'escape'))).toThrow(/is outside/);
    expect(() => listFolders(home, join(home, 'file.txt'))).toThrow(/is not a folder/);
    expect(() => listFolders(home, join(home, 'nope'))).toThrow(/^no folder /);
  });

  it('stops at MAX_FOLDERS and says it did', () => {
    const many = join(home, 'many');
    for (let i = 0; i < MAX_FOLDERS + 3; i += 1) mkdirSync(join(many, `d${String(i).padStart(4, '0')}`), { recursive: true });
    const listing = listFolders(home, many);
    expect(listing.folders).toHaveLength(MAX_FOLDERS);
    expect(listing.truncated).toBe(true);
  });
});

describe('desktop-only calls', () => {
  it('say they exist only in the desktop app when there is no desktop port (browser mode)', async () => {
    await expect(pickFolder(undefined, 'dataset')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/desktop app; in the browser use the folder browser/) });
    expect(() => showInFolder(undefined, home)).toThrow(/desktop app/);
  });

  it('go to the port, and "show in folder" refuses a path that does not exist', async () => {
    const shown: string[] = [];
    const port: DesktopPort = { pickFolder: async (purpose, at) => `${purpose}:${at ?? ''}`, pickFile: async (purpose, at) => `file:${purpose}:${at ?? ''}`, showInFolder: (p) => shown.push(p) };
    await expect(pickFolder(port, 'export', '/x')).resolves.toEqual({ path: 'export:/x' });
    expect(showInFolder(port, join(home, 'pictures'))).toEqual({ ok: true });
    expect(shown).toEqual([join(home, 'pictures')]);
    expect(() => showInFolder(port, join(home, 'missing'))).toThrow(/does not exist/);
  });
});
