/**
 * Sweeps: an experiment plus named fields to vary (src/shared/schemas/sweep.ts). Every point is
 * validated before the first run starts, so a typo fails in a second, not after an hour; runs then
 * go one after another through the runs service, and the sweep's record — settings, run ids,
 * final loss, best-epoch kNN — is rewritten (atomically) after each run as
 * `<workspace>/sweeps/<id>.json`, which the sweep page reads.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import type { AugmentSpec } from '../../shared/schemas/augment';
import type { Experiment } from '../../shared/schemas/experiment';
import { MethodConfigSchema } from '../../shared/schemas/method';
import {
  bestSweepRun,
  expandSweep,
  SweepConfigSchema,
  SweepRecordSchema,
  type SweepConfig,
  type SweepRecord,
  type SweepRun,
  type SweepSettings,
} from '../../shared/schemas/sweep';
import { writeFileAtomicSync } from '../files/atomic-file';
import type { ServiceContext } from './context';
import type { ExperimentsService } from './experiments';
import type { RunsService, StartOptions } from './runs';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys a method's config accepts, so overrides of another method drop out when `method` is swept. */
function methodKeys(method: string): Set<string> | null {
  const schema = MethodConfigSchema.options.find((o) => o.shape.method.value === method);
  return schema ? new Set(Object.keys(schema.shape)) : null;
}

/** The base experiment with one point's settings laid over it (cropScale is applied after resolving the augmentation). */
export function applySettings(base: Json, settings: SweepSettings): Json {
  const out: Json = { ...base };
  let overrides: Json = isObject(base['methodOverrides']) ? { ...base['methodOverrides'] } : {};
  for (const [key, value] of Object.entries(settings)) {
    if (key === 'method') out['method'] = value;
    else if (key === 'temperature' || key === 'queueSize') overrides[key] = value;
    else if (key.startsWith('methodOverrides.'))
      overrides[key.slice('methodOverrides.'.length)] = value;
    else if (key === 'learningRate')
      out['optimizer'] = {
        ...(isObject(base['optimizer']) ? base['optimizer'] : { name: 'adam' }),
        learningRate: value,
      };
    else if (key === 'batchSize' || key === 'epochs' || key === 'seed') out[key] = value;
  }
  if ('method' in settings) {
    const keys = methodKeys(String(settings['method']));
    const swept = new Set(Object.keys(settings).map((k) => k.replace(/^methodOverrides\./, '')));
    // Overrides the base set for another method are dropped; the sweep's own fields stay (and must fit).
    if (keys)
      overrides = Object.fromEntries(
        Object.entries(overrides).filter(([k]) => keys.has(k) || swept.has(k)),
      );
  }
  out['methodOverrides'] = overrides;
  return out;
}

/** Every random-resized-crop of `spec` with scale [s, 1]. */
function withCropScale(spec: AugmentSpec, scale: number): AugmentSpec {
  return {
    ...spec,
    views: spec.views.map((view) => ({
      ...view,
      ops: view.ops.map((op) =>
        op.op === 'random-resized-crop' ? { ...op, scale: [scale, 1] as [number, number] } : op,
      ),
    })),
  } as AugmentSpec;
}

interface PlannedPoint {
  settings: SweepSettings;
  experiment: Experiment;
}

export class SweepsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly experiments: ExperimentsService,
    private readonly runs: RunsService,
  ) {}

  private get dir(): string {
    return join(this.ctx.home, 'sweeps');
  }

  /** Validate a sweep and every experiment it expands to; throws naming the first bad point. */
  plan(input: unknown): { config: SweepConfig; points: PlannedPoint[] } {
    const parsed = SweepConfigSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.join('.') ?? '';
      const message = issue?.message ?? 'invalid sweep';
      throw new WorkbenchError(
        'INVALID_INPUT',
        `invalid sweep: ${path ? `${path}: ${message}` : message}`,
      );
    }
    const config = parsed.data;
    const points = expandSweep(config).map((settings, index) => {
      try {
        let experiment = this.experiments.validate(applySettings(config.experiment, settings));
        const crop = settings['cropScale'];
        if (crop !== undefined) {
          if (typeof crop !== 'number' || !(crop > 0 && crop <= 1))
            throw new WorkbenchError(
              'INVALID_INPUT',
              `cropScale must be a number in (0, 1], got ${String(crop)}`,
            );
          experiment = this.experiments.validate({
            ...experiment,
            augment: withCropScale(this.experiments.resolve(experiment).augment, crop),
          });
        }
        this.experiments.resolve(experiment);
        return { settings, experiment };
      } catch (err) {
        const code = err instanceof WorkbenchError ? err.code : 'INVALID_INPUT';
        throw new WorkbenchError(
          code,
          `sweep run ${index + 1} (${JSON.stringify(settings)}): ${(err as Error).message}`,
        );
      }
    });
    return { config, points };
  }

  /** Validate, record, then train every point in order; `done` resolves with the final record. */
  start(
    input: unknown,
    options: StartOptions = {},
  ): { sweepId: number; done: Promise<SweepRecord> } {
    const { config, points } = this.plan(input);
    const sweepId = this.nextId();
    const record: SweepRecord = {
      sweepId,
      name: config.name ?? `sweep ${sweepId}`,
      search: config.search,
      fields: Object.keys(config.fields),
      createdAt: new Date().toISOString(),
      status: 'running',
      runs: points.map((p, index) => ({
        index,
        settings: p.settings,
        experimentId: null,
        runId: null,
        status: 'queued',
        finalLoss: null,
        knnAccuracy: null,
        bestKnnAccuracy: null,
        bestEpoch: null,
      })),
      best: null,
      config,
    };
    this.write(record);
    return { sweepId, done: this.runAll(record, points, options) };
  }

  private async runAll(
    record: SweepRecord,
    points: PlannedPoint[],
    options: StartOptions,
  ): Promise<SweepRecord> {
    for (const [index, point] of points.entries()) {
      const row = record.runs[index]!;
      try {
        const name = `${record.name} · ${Object.entries(point.settings)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')}`;
        const { id } = this.experiments.create({ ...point.experiment, name: name.slice(0, 200) });
        row.experimentId = id;
        const started = this.runs.start(id, options);
        row.runId = started.runId;
        row.status = 'running';
        this.write(record);
        const result = await started.done;
        Object.assign(
          row,
          { status: result.status, finalLoss: result.finalLoss, knnAccuracy: result.knnAccuracy },
          this.bestKnn(started.runId),
        );
      } catch (err) {
        row.status = 'failed';
        row.error = (err as Error).message;
      }
      record.best = bestSweepRun(record.runs);
      this.write(record);
    }
    record.status = record.runs.every((r) => r.status === 'failed') ? 'failed' : 'completed';
    this.write(record);
    return record;
  }

  private bestKnn(runId: number): Pick<SweepRun, 'bestKnnAccuracy' | 'bestEpoch'> {
    let best: Pick<SweepRun, 'bestKnnAccuracy' | 'bestEpoch'> = {
      bestKnnAccuracy: null,
      bestEpoch: null,
    };
    for (const p of this.ctx.store.metrics.series(runId, 'knn_accuracy')) {
      if (best.bestKnnAccuracy === null || p.value > best.bestKnnAccuracy)
        best = { bestKnnAccuracy: p.value, bestEpoch: p.epoch };
    }
    return best;
  }

  list(): SweepRecord[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => /^\d+\.json$/.test(f))
      .map((f) => Number(f.slice(0, -5)))
      .sort((a, b) => a - b)
      .flatMap((id) => {
        try {
          return [this.get(id)];
        } catch {
          return [];
        }
      });
  }

  get(sweepId: number): SweepRecord {
    const file = join(this.dir, `${sweepId}.json`);
    if (!existsSync(file)) throw new WorkbenchError('NOT_FOUND', `no sweep with id ${sweepId}`);
    return SweepRecordSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  }

  private nextId(): number {
    if (!existsSync(this.dir)) return 1;
    const ids = readdirSync(this.dir)
      .filter((f) => /^\d+\.json$/.test(f))
      .map((f) => Number(f.slice(0, -5)));
    return Math.max(0, ...ids) + 1;
  }

  private write(record: SweepRecord): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomicSync(join(this.dir, `${record.sweepId}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }
}
