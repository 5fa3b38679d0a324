/**
 * The service layer every front shares (Electron IPC, WebSocket server, CLI): one object per domain
 * and the handler table that maps each contract channel to its service method.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CallChannel, CallParams, CallReply } from '../../shared/api';
import { DATABASE_FILE } from '../../shared/constants';
import { METHOD_NAMES } from '../../shared/schemas/method';
import { EngineClient } from '../engine/client';
import { Store } from '../store/store';
import { appVersion } from '../version';
import { ensureHome } from '../workspace/home';
import type { EventSink, ServiceContext } from './context';
import { DatasetsService } from './datasets';
import { pickFile, pickFolder, showInFolder, type DesktopPort } from './desktop';
import { ExperimentsService } from './experiments';
import { loadAugmentKnobs, loadMethodKnobs, loadMethodPreset, saveAugmentPreset } from './presets';
import { EmbeddingsService } from './embeddings';
import { EncodersService } from './encoders';
import { ExportsService } from './exports';
import { listFolders } from './folders';
import { PreviewsService } from './previews';
import { PrototypesService } from './prototypes';
import { thumbnails } from './thumbnails';
import { RunsService } from './runs';
import { RunRecordsService } from './run-records';
import { BaselinesService } from './baselines';
import { SystemService } from './system';
import { SweepsService } from './sweeps';

export interface Services {
  ctx: ServiceContext;
  system: SystemService;
  datasets: DatasetsService;
  experiments: ExperimentsService;
  runs: RunsService;
  runRecords: RunRecordsService;
  baselines: BaselinesService;
  previews: PreviewsService;
  prototypes: PrototypesService;
  exports: ExportsService;
  embeddings: EmbeddingsService;
  encoders: EncodersService;
  sweeps: SweepsService;
  close(): Promise<void>;
}

export interface CreateServicesOptions {
  home: string;
  front: 'electron' | 'browser';
  emit?: EventSink;
  engine?: EngineClient;
  /** Native folder picker and file manager (the desktop app). */
  desktop?: DesktopPort;
  /** Root of the folder browser; default the user's home (CWB_BROWSE_ROOT overrides, e.g. in tests). */
  browseRoot?: string;
  /** better-sqlite3's addon built for this Electron (store/native-binding.ts); default build when absent. */
  sqliteBinding?: string;
}

export function createServices(options: CreateServicesOptions): Services {
  const home = ensureHome(options.home);
  const store = Store.open(join(home, DATABASE_FILE), options.sqliteBinding === undefined ? {} : { nativeBinding: options.sqliteBinding });
  const engine = options.engine ?? new EngineClient();
  const ctx: ServiceContext = {
    home,
    store,
    engine,
    emit: options.emit ?? (() => undefined),
    front: options.front,
    version: appVersion(),
    browseRoot: options.browseRoot ?? process.env['CWB_BROWSE_ROOT'] ?? homedir(),
    ...(options.desktop ? { desktop: options.desktop } : {}),
  };
  const datasets = new DatasetsService(ctx);
  const experiments = new ExperimentsService(ctx);
  const previews = new PreviewsService(ctx, datasets);
  const runs = new RunsService(ctx, experiments, datasets, previews);
  runs.recoverInterrupted();
  return {
    ctx,
    system: new SystemService(ctx),
    datasets,
    experiments,
    runs,
    runRecords: new RunRecordsService(ctx, runs),
    baselines: new BaselinesService(ctx, experiments, runs, datasets),
    previews,
    prototypes: new PrototypesService(ctx, experiments),
    exports: new ExportsService(ctx, experiments, runs, datasets),
    embeddings: new EmbeddingsService(ctx, experiments, runs, datasets),
    encoders: new EncodersService(ctx, datasets),
    sweeps: new SweepsService(ctx, experiments, runs),
    async close() {
      await engine.close();
      store.close();
    },
  };
}

export interface CallContext {
  signal?: AbortSignal;
}

export type CallHandlers = {
  [C in CallChannel]: (params: CallParams<C>, ctx: CallContext) => Promise<CallReply<C>> | CallReply<C>;
};

/** One handler per channel; the compiler checks the table is complete. */
export function callHandlers(services: Services): CallHandlers {
  return {
    'system:info': () => services.system.info(),
    'system:doctor': () => services.system.doctor(),
    'datasets:list': () => services.datasets.list(),
    'datasets:get': (p) => services.datasets.get(p.datasetId),
    'datasets:import': (p, ctx) => services.datasets.import(p, ctx.signal),
    'datasets:demo': () => services.datasets.importDemo(),
    'datasets:images': (p) => services.datasets.images(p),
    'datasets:class-balance': (p) => services.datasets.classBalance(p.datasetId),
    'datasets:skipped': (p) => services.datasets.skipped(p.datasetId),
    'datasets:thumbnails': (p) => thumbnails(services.ctx, p.imageIds, p.side),
    'prototypes:summary': (p) => services.prototypes.summary(p.runId),
    'prototypes:gallery': (p) => services.prototypes.gallery(p.runId, p.epoch, p.prototype, p.limit),
    'embeddings:project': (p, ctx) => services.embeddings.project(p.runId, p.algorithm, p.limit, ctx.signal),
    'embeddings:neighbours': (p) => services.embeddings.neighbours(p.projectionId, p.imageId, p.k),
    'encoders:list': () => services.encoders.list(),
    'encoders:import': (p) => services.encoders.import(p.file, p.name),
    'encoders:knn': (p) => services.encoders.evalKnn(p.encoderId, p.datasetId, p.k, p.temperature),
    'exports:create': (p, ctx) => services.exports.create(p, ctx.signal),
    'exports:list': (p) => services.exports.list(p.runId),
    'previews:create': async (p) => {
      const { png: _png, ...reply } = await services.previews.create(p);
      return reply;
    },
    'previews:list': (p) => services.previews.list(p),
    'presets:list': () => ({
      ...services.previews.presets(),
      methods: METHOD_NAMES.map((name) => ({ name, config: loadMethodPreset(name), knobs: loadMethodKnobs(name) })),
      augmentKnobs: loadAugmentKnobs(),
    }),
    'presets:save-augment': (p) => saveAugmentPreset(services.ctx.home, p.name, p.spec, p.overwrite),
    'experiments:list': () => services.experiments.list(),
    'experiments:save': (p) => services.experiments.save(p),
    'experiments:estimate': (p) => services.experiments.estimate(p),
    'experiments:warnings': (p) => services.experiments.check(p),
    'runs:start': (p) => {
      const { id } = services.experiments.create(p);
      const { runId, done } = services.runs.start(id);
      // The UI follows the run through runs:* events; the failure is already recorded on the run.
      done.catch(() => undefined);
      return { runId, experimentId: id };
    },
    'runs:list': () => services.runs.list().map((r) => services.runs.describe(r)),
    'runs:get': (p) => services.runs.describe(services.runs.get(p.runId)),
    'runs:metrics': (p) => services.runs.metrics(p.runId, p.names),
    'files:folders': (p) => listFolders(services.ctx.browseRoot, p.path, p.files),
    'desktop:pick-folder': (p) => pickFolder(services.ctx.desktop, p.purpose, p.defaultPath),
    'desktop:pick-file': (p) => pickFile(services.ctx.desktop, p.purpose, p.defaultPath),
    'desktop:show-in-folder': (p) => showInFolder(services.ctx.desktop, p.path),
    'runs:pause': (p) => (services.runs.stop(p.runId, 'paused'), { ok: true as const }),
    'runs:cancel': (p) => (services.runs.stop(p.runId, 'cancelled'), { ok: true as const }),
    'runs:metrics-file': (p) => services.runRecords.metricsDownload(p.runId, p.format),
    'runs:annotate': (p) => {
      services.runRecords.annotate(p);
      return services.runs.describe(services.runs.get(p.runId));
    },
    'runs:delete': (p) => services.runRecords.delete(p.runId),
    'runs:baselines': (p) => services.baselines.forRun(p.runId),
    'runs:resume': (p) => {
      const { runId, done } = services.runs.resume(p.runId);
      done.catch(() => undefined);
      return { runId };
    },
    'runs:evaluate': async (p) => {
      if (p.protocol === 'linear') {
        const epochs = p.epochs ?? 100;
        const r = await services.runs.evalLinear(p.runId, epochs);
        const baselines = p.baselines ? await services.baselines.forEvaluation(p.runId, { protocol: 'linear', epochs }) : null;
        return { runId: r.runId, protocol: 'linear' as const, labelFraction: null, accuracy: r.accuracy, baselines };
      }
      const epochs = p.epochs ?? 10;
      const r = await services.runs.evalFinetune(p.runId, p.labelFraction, epochs);
      const baselines = p.baselines ? await services.baselines.forEvaluation(p.runId, { protocol: 'finetune', epochs, labelFraction: p.labelFraction }) : null;
      return { runId: r.runId, protocol: 'finetune' as const, labelFraction: r.labelFraction, accuracy: r.accuracy, baselines };
    },
    'runs:reconstruction': (p) => services.runs.reconstruction(p.runId, p.count),
    'sweeps:start': (p) => {
      const { sweepId, done } = services.sweeps.start(p);
      done.catch(() => undefined);
      return { sweepId };
    },
    'sweeps:list': () => services.sweeps.list(),
    'sweeps:get': (p) => services.sweeps.get(p.sweepId),
  };
}
