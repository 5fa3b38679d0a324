import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickFile, type DesktopPort } from '../../../src/main/services/desktop';
import { listFolders } from '../../../src/main/services/folders';
import { tempDir } from '../../helpers/temp';

const t = tempDir('cwb-files-');
const home = join(t.dir, 'home');
const outside = join(t.dir, 'outside');

beforeAll(() => {
  mkdirSync(join(home, 'pets', 'cats'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  for (const file of ['labels.csv', 'B.TSV', 'notes.txt', 'a.jpg', '.hidden.csv']) writeFileSync(join(home, 'pets', file), '');
  writeFileSync(join(outside, 'secret.csv'), '');
  symlinkSync(join(outside, 'secret.csv'), join(home, 'pets', 'escape.csv'));
  symlinkSync(join(home, 'pets', 'labels.csv'), join(home, 'pets', 'same.csv'));
});
afterAll(() => t.cleanup());

describe('choosing a labels CSV', () => {
  it('the folder browser lists CSV-like files only when asked, hidden files and links outside the home left out', () => {
    const pets = join(home, 'pets');
    expect(listFolders(home, pets).files).toBeUndefined();
    const listing = listFolders(home, pets, 'csv');
    expect(listing.files?.map((f) => f.name)).toEqual(['B.TSV', 'labels.csv', 'notes.txt', 'same.csv']);
    expect(listing.files?.[1]?.path).toBe(join(listing.path, 'labels.csv'));
    expect(listing.folders.map((f) => f.name)).toEqual(['cats']);
  });

  it('the native picker goes to the desktop port, and says it is desktop-only without one', async () => {
    const asked: string[] = [];
    const port: DesktopPort = {
      pickFolder: async () => null,
      pickFile: async (purpose, at) => (asked.push(`${purpose}@${at ?? ''}`), '/data/labels.csv'),
      showInFolder: () => undefined,
    };
    await expect(pickFile(port, 'labels-csv', '/data')).resolves.toEqual({ path: '/data/labels.csv' });
    expect(asked).toEqual(['labels-csv@/data']);
    await expect(pickFile(undefined, 'labels-csv')).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/native file picker exists only in the desktop app/) });
  });
});
