import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../src/main/services/index';
import { makeImageFolder } from '../../helpers/dataset';
import { useTempHome, type TempHome } from '../../helpers/temp';

interface Workspace extends TempHome {
  services: Services;
  dir: string;
}

const ws = useTempHome<Workspace>(
  async (w) => {
    w.services = createServices({ home: w.home, front: 'browser' });
    w.dir = await makeImageFolder(join(w.root, 'shapes'), ['circle', 'square'], 3);
  },
  async (w) => w.services?.close(),
);

describe('the labels CSV of an import', () => {
  it('is refused before any image is read when it is missing or a folder, with the problem on the labelsCsv field', async () => {
    const missing = join(ws.root, 'nope.csv');
    await expect(ws.services.datasets.import({ dir: ws.dir, labelsCsv: missing })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `labels CSV ${missing}: no such file`,
      details: { issues: [{ path: 'labelsCsv', message: 'no such file' }] },
    });
    await expect(ws.services.datasets.import({ dir: ws.dir, labelsCsv: ws.root })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { issues: [{ path: 'labelsCsv', message: 'is a folder, not a CSV file' }] },
    });
    expect(ws.services.datasets.list()).toHaveLength(0);
  });

  it('labels the images it lists when it is good', async () => {
    const csv = join(ws.root, 'labels.csv');
    writeFileSync(csv, 'path,label\ncircle/0.png,round\nsquare/0.png,boxy\n');
    const reply = await ws.services.datasets.import({ dir: ws.dir, labelsCsv: csv, size: 16 });
    expect(ws.services.datasets.classBalance(reply.datasetId).map((r) => r.label)).toEqual(['boxy', 'round', null]);
  });
});
