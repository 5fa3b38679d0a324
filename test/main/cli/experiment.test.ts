/** `cwb experiment save | list`, and the hand-off they exist for: save → export a PyTorch project, no run. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cwbErrorLine, runCli, useCliWorkspace } from '../../helpers/cli';

const ws = useCliWorkspace();

/** Write an experiment file the way the designer's "Experiment as JSON" shows one. */
function configFile(name: string, content: unknown): string {
  const file = join(ws.root, 'configs', name);
  mkdirSync(join(ws.root, 'configs'), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function listed(): Promise<{ id: number; name: string; method: string; datasetId: number; runs: number }[]> {
  const r = await runCli(['--home', ws.home, 'experiment', 'list', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { experiments: { id: number; name: string; method: string; datasetId: number; runs: number }[] }).experiments;
}

describe('cwb experiment', () => {
  it('list says how to save one in a new workspace', async () => {
    const r = await runCli(['--home', ws.home, 'experiment', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no experiments yet — save one with `cwb experiment save --config experiment.json`/);
    expect(await listed()).toEqual([]);
  });

  it('save --config stores the experiment without a run; flags override the file; list shows it', async () => {
    const file = configFile('moco.json', { name: 'moco for the cluster', datasetId: 1, method: 'moco', batchSize: 4, epochs: 100, methodOverrides: { queueSize: 16 } });
    const json = await runCli(['--home', ws.home, 'experiment', 'save', '--config', file, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const { experimentId } = JSON.parse(json.stdout) as { experimentId: number };
    expect(JSON.parse(json.stdout)).toEqual({ experimentId: expect.any(Number) as number });
    const human = await runCli(['--home', ws.home, 'experiment', 'save', '--config', file, '--batch-size', '6', '--name', 'bigger batch']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout.trim()).toBe(`experiment ${experimentId + 1} saved: bigger batch`);
    expect(human.stderr).toContain(`cwb export --experiment ${experimentId + 1} --format pytorch-project --out <dir>`);
    expect(await listed()).toEqual([
      expect.objectContaining({ id: experimentId, name: 'moco for the cluster', method: 'moco', datasetId: 1, runs: 0 }),
      expect.objectContaining({ id: experimentId + 1, name: 'bigger batch', method: 'moco', runs: 0 }),
    ]);
    const table = await runCli(['--home', ws.home, 'experiment', 'list']);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+name\s+method\s+dataset\s+runs\s+created$/);
    expect(lines[2]).toMatch(new RegExp(`^\\s*${experimentId + 1}\\s+bigger batch\\s+moco\\s+1\\s+0\\s+\\d{4}-`));
  });

  it('refuses a missing file, bad JSON and invalid fields with one clear line, and saves nothing', async () => {
    const before = (await listed()).length;
    const cases: [string[], number, RegExp][] = [
      [['--config', join(ws.root, 'configs', 'absent.json')], 2, /cannot read the experiment file .*absent\.json: no such file$/],
      [['--config', configFile('broken.json', '{ "datasetId": 1,')], 2, /cannot read the experiment file .*broken\.json: not valid JSON \(/],
      [['--config', configFile('list.json', [1, 2])], 2, /list\.json: expected a JSON object/],
      [['--config', configFile('small.json', { datasetId: 1, method: 'simclr', batchSize: 1 })], 2, /invalid experiment: batchSize: batchSize must be ≥ 2/],
      [['--config', configFile('typo.json', { datasetId: 1, method: 'simclr', batchsize: 4 })], 2, /batchsize/],
      [['--config', configFile('huge.json', { datasetId: 1, method: 'simclr', batchSize: 500 })], 2, /batchSize: 500 is larger than the training split \(8 of the dataset's 12 images/],
      [['--config', configFile('elsewhere.json', { datasetId: 42, method: 'simclr', batchSize: 4 })], 3, /datasetId: no dataset with id 42/],
      [['--method', 'simclr'], 2, /give --dataset <id\|dir> \(or datasetId in --config\)/],
    ];
    for (const [args, code, message] of cases) {
      const r = await runCli(['--home', ws.home, 'experiment', 'save', ...args, '--json']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(cwbErrorLine(r.stderr)).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(await listed()).toHaveLength(before);
  });
});

describe('the cluster hand-off: cwb experiment save → cwb export --experiment (no run, no training)', () => {
  it('writes a PyTorch project of exactly the saved experiment', async () => {
    const design = { name: 'simclr to retrain on GPUs', datasetId: 1, method: 'simclr', batchSize: 4, epochs: 200, optimizer: { name: 'sgd', learningRate: 0.3 } };
    const saved = await runCli(['--home', ws.home, 'experiment', 'save', '--config', configFile('simclr.json', design), '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    const { experimentId } = JSON.parse(saved.stdout) as { experimentId: number };
    const out = join(ws.root, 'ddp-project');
    const exported = await runCli(['--home', ws.home, 'export', '--experiment', String(experimentId), '--format', 'pytorch-project', '--out', out, '--json']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ runId: null, experimentId, format: 'pytorch-project', outDir: out });
    expect(existsSync(join(out, 'train.py'))).toBe(true);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { source: Record<string, unknown>; experiment: Record<string, unknown> };
    expect(config.source).toMatchObject({ runId: null, experimentId, experimentName: design.name });
    expect(config.experiment).toMatchObject({ ...design, optimizer: expect.objectContaining(design.optimizer) as object });
    // Nothing trained on the way.
    expect((await listed()).find((e) => e.id === experimentId)).toMatchObject({ runs: 0 });
  });
});
