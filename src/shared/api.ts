/**
 * The contract: every call the renderer (or a WebSocket client, or the CLI) can make, declared once.
 *
 * A call is a domain-prefixed channel (`datasets:import`) with a zod request schema, a zod reply schema
 * and the name of the function the preload exposes for it. IPC, WebSocket and CLI validate with these
 * same schemas, so bad input gets the same clear error everywhere.
 */
import { z } from 'zod';
import type { WorkbenchErrorShape } from './errors';
import { EmptyRequestSchema } from './schemas/common';
import { AppInfoSchema, DoctorReportSchema } from './schemas/system';
import { NeighboursRequestSchema, NeighboursSchema, ProjectionSchema, ProjectRequestSchema } from './schemas/embeddings';
import { EncoderKnnReplySchema, EncoderKnnRequestSchema, EncoderRecordSchema, ImportEncoderRequestSchema } from './schemas/encoders';
import { EstimateSchema, ExperimentSchema, ExperimentSummarySchema } from './schemas/experiment';
import { ExperimentWarningSchema, ExperimentWarningsSchema } from './schemas/experiment-warnings';
import { ExportRecordSchema, ExportReplySchema, ExportRequestSchema } from './schemas/exports';
import { PrototypeGalleryRequestSchema, PrototypeSummarySchema, ThumbnailsRequestSchema, ThumbnailsSchema } from './schemas/prototypes';
import { PresetsSchema, PreviewReplySchema, PreviewRequestSchema, PreviewSummarySchema, SavePresetRequestSchema } from './schemas/previews';
import { AnnotateRunRequestSchema, DeleteRunReplySchema, MetricsFileRequestSchema, MetricsFileSchema, RunBaselinesSchema } from './schemas/run-records';
import { MetricSeriesRequestSchema, MetricSeriesSchema, RunRefSchema, RunSchema } from './schemas/runs';
import { SweepConfigSchema, SweepRecordSchema } from './schemas/sweep';
import {
  ClassBalanceSchema,
  DatasetRefSchema,
  DatasetSchema,
  ImportDatasetReplySchema,
  ImportDatasetRequestSchema,
  ListImagesReplySchema,
  ListImagesRequestSchema,
} from './schemas/datasets';
import { FolderListingSchema, ListFoldersRequestSchema, PickFolderReplySchema, PickFolderRequestSchema, ShowInFolderRequestSchema } from './schemas/files';
import { PickFileReplySchema, PickFileRequestSchema } from './schemas/files';

interface CallSpec<Req extends z.ZodType, Rep extends z.ZodType, M extends string> {
  request: Req;
  reply: Rep;
  /** Function name on `window.workbench` (one function per call). */
  method: M;
  /** One line for docs and `cwb` help. */
  summary: string;
}

function call<Req extends z.ZodType, Rep extends z.ZodType, M extends string>(
  spec: CallSpec<Req, Rep, M>,
): CallSpec<Req, Rep, M> {
  return spec;
}

export const CALLS = {
  'system:info': call({
    request: EmptyRequestSchema,
    reply: AppInfoSchema,
    method: 'appInfo',
    summary: 'Name, version, workspace folder and front of the running app',
  }),
  'system:doctor': call({
    request: EmptyRequestSchema,
    reply: DoctorReportSchema,
    method: 'doctor',
    summary: 'Which compute backend is used and why the others are not',
  }),
  'datasets:list': call({
    request: EmptyRequestSchema,
    reply: z.array(DatasetSchema),
    method: 'listDatasets',
    summary: 'All imported datasets',
  }),
  'datasets:get': call({
    request: DatasetRefSchema,
    reply: DatasetSchema,
    method: 'getDataset',
    summary: 'One dataset by id',
  }),
  'datasets:import': call({
    request: ImportDatasetRequestSchema,
    reply: ImportDatasetReplySchema,
    method: 'importDataset',
    summary: 'Import an image folder (read-only); reports skipped files with reasons',
  }),
  'datasets:demo': call({
    request: EmptyRequestSchema,
    reply: ImportDatasetReplySchema,
    method: 'importDemoDataset',
    summary: 'Generate and import the demo dataset (colour shapes, 4 classes) into the workspace',
  }),
  'datasets:images': call({
    request: ListImagesRequestSchema,
    reply: ListImagesReplySchema,
    method: 'listImages',
    summary: 'A page of a dataset’s images',
  }),
  'datasets:class-balance': call({
    request: DatasetRefSchema,
    reply: ClassBalanceSchema,
    method: 'classBalance',
    summary: 'Images per class and split',
  }),
  'datasets:skipped': call({
    request: DatasetRefSchema,
    reply: z.array(z.object({ path: z.string(), reason: z.string() })),
    method: 'listSkipped',
    summary: 'Files the import skipped, with the reason',
  }),
  'datasets:thumbnails': call({
    request: ThumbnailsRequestSchema,
    reply: ThumbnailsSchema,
    method: 'thumbnails',
    summary: 'Small PNG thumbnails (data: URLs) of images, from the tensor cache',
  }),
  'prototypes:summary': call({
    request: RunRefSchema,
    reply: PrototypeSummarySchema,
    method: 'prototypeSummary',
    summary: 'SwAV prototype usage per epoch, assignment entropy, prototype × class counts',
  }),
  'prototypes:gallery': call({
    request: PrototypeGalleryRequestSchema,
    reply: z.array(z.object({ imageId: z.number().int(), entropy: z.number(), url: z.string(), label: z.string().nullable() })),
    method: 'prototypeGallery',
    summary: 'Images assigned to one prototype, most confident first',
  }),
  'embeddings:project': call({
    request: ProjectRequestSchema,
    reply: ProjectionSchema,
    method: 'projectEmbeddings',
    summary: 'A run’s embeddings of a seeded sample of its dataset, projected to 2-D (PCA or UMAP)',
  }),
  'embeddings:neighbours': call({
    request: NeighboursRequestSchema,
    reply: NeighboursSchema,
    method: 'nearestNeighbours',
    summary: 'The images nearest (cosine) to one image of a projection',
  }),
  'encoders:list': call({ request: EmptyRequestSchema, reply: z.array(EncoderRecordSchema), method: 'listEncoders', summary: 'Imported external encoders' }),
  'encoders:import': call({
    request: ImportEncoderRequestSchema,
    reply: EncoderRecordSchema,
    method: 'importEncoder',
    summary: 'Register an external ONNX encoder (checked with onnxruntime)',
  }),
  'encoders:knn': call({
    request: EncoderKnnRequestSchema,
    reply: EncoderKnnReplySchema,
    method: 'encoderKnn',
    summary: 'Weighted kNN accuracy of an imported encoder on a dataset',
  }),
  'exports:create': call({
    request: ExportRequestSchema,
    reply: ExportReplySchema,
    method: 'exportRun',
    summary: 'Export a run’s encoder (tfjs, verified ONNX) or its dataset’s embeddings into a folder; or a PyTorch DDP project of a run’s experiment or of an experiment without a run',
  }),
  'exports:list': call({
    request: z.object({ runId: z.number().int().positive().optional() }).strict(),
    reply: z.array(ExportRecordSchema),
    method: 'listExports',
    summary: 'Exports written so far',
  }),
  'previews:create': call({
    request: PreviewRequestSchema,
    reply: PreviewReplySchema,
    method: 'createPreview',
    summary: 'Seeded positive pairs of a dataset’s images through an augmentation spec (the training code path)',
  }),
  'previews:list': call({
    request: z.object({ datasetId: z.number().int().positive().optional(), runId: z.number().int().positive().optional() }).strict(),
    reply: z.array(PreviewSummarySchema),
    method: 'listPreviews',
    summary: 'Stored previews of a dataset or a run',
  }),
  'presets:list': call({
    request: EmptyRequestSchema,
    reply: PresetsSchema,
    method: 'listPresets',
    summary: 'Augmentation and method presets',
  }),
  'presets:save-augment': call({
    request: SavePresetRequestSchema,
    reply: z.object({ name: z.string(), file: z.string() }),
    method: 'saveAugmentPreset',
    summary: 'Save a tuned augmentation spec as a named preset in the workspace',
  }),
  'experiments:list': call({
    request: EmptyRequestSchema,
    reply: z.array(ExperimentSummarySchema),
    method: 'listExperiments',
    summary: 'Saved experiments, oldest first, with how many runs each has',
  }),
  'experiments:save': call({
    request: ExperimentSchema,
    reply: z.object({ id: z.number().int(), warnings: z.array(ExperimentWarningSchema) }),
    method: 'saveExperiment',
    summary: 'Save an experiment without starting a run (checked against its dataset as runs:start checks it), e.g. to export it as a PyTorch project',
  }),
  'experiments:estimate': call({
    request: ExperimentSchema,
    reply: EstimateSchema,
    method: 'estimateExperiment',
    summary: 'Seconds per epoch and memory of an experiment, measured with a few real steps',
  }),
  'experiments:warnings': call({
    request: ExperimentSchema,
    reply: ExperimentWarningsSchema,
    method: 'experimentWarnings',
    summary: 'What will waste a run of an experiment on its dataset (warnings; the run can still start)',
  }),
  'runs:start': call({
    request: ExperimentSchema,
    reply: z.object({ runId: z.number().int(), experimentId: z.number().int() }),
    method: 'startRun',
    summary: 'Save an experiment and queue a run of it',
  }),
  'runs:list': call({
    request: EmptyRequestSchema,
    reply: z.array(RunSchema),
    method: 'listRuns',
    summary: 'All runs, newest last',
  }),
  'runs:get': call({ request: RunRefSchema, reply: RunSchema, method: 'getRun', summary: 'One run' }),
  'runs:metrics': call({
    request: MetricSeriesRequestSchema,
    reply: MetricSeriesSchema,
    method: 'runMetrics',
    summary: 'Metric series of a run (loss, learning rate, images/s, kNN accuracy …)',
  }),
  'runs:pause': call({ request: RunRefSchema, reply: z.object({ ok: z.literal(true) }), method: 'pauseRun', summary: 'Pause a running run (resumable)' }),
  'runs:resume': call({ request: RunRefSchema, reply: z.object({ runId: z.number().int() }), method: 'resumeRun', summary: 'Resume a paused run from its last checkpoint' }),
  'runs:cancel': call({ request: RunRefSchema, reply: z.object({ ok: z.literal(true) }), method: 'cancelRun', summary: 'Cancel a queued or running run' }),
  'files:folders': call({
    request: ListFoldersRequestSchema,
    reply: FolderListingSchema,
    method: 'listFolders',
    summary: 'Sub-folders (and, when asked, CSV files) of a folder under your home (the folder browser; both fronts)',
  }),
  'desktop:pick-folder': call({
    request: PickFolderRequestSchema,
    reply: PickFolderReplySchema,
    method: 'pickFolder',
    summary: 'Native folder picker (desktop app only); null when cancelled',
  }),
  'desktop:show-in-folder': call({
    request: ShowInFolderRequestSchema,
    reply: z.object({ ok: z.literal(true) }),
    method: 'showInFolder',
    summary: "Reveal a file or folder in the system's file manager (desktop app only)",
  }),
  'desktop:pick-file': call({
    request: PickFileRequestSchema,
    reply: PickFileReplySchema,
    method: 'pickFile',
    summary: 'Native file picker (desktop app only), e.g. a labels CSV; null when cancelled',
  }),
  'runs:evaluate': call({
    request: z.strictObject({
      runId: z.number().int().positive(),
      protocol: z.enum(['linear', 'finetune']),
      /** Fine-tune only: fraction of each class's training labels. */
      labelFraction: z.number().gt(0, { error: 'labelFraction must be > 0' }).max(1, { error: 'labelFraction must be ≤ 1' }).default(0.1),
      epochs: z.number().int().min(1).max(1000).optional(),
      /** Also score the same protocol on the random-init encoder and on raw pixels (cached after the first time). */
      baselines: z.boolean().default(true),
    }),
    reply: z.object({
      runId: z.number().int(),
      protocol: z.enum(['linear', 'finetune']),
      labelFraction: z.number().nullable(),
      accuracy: z.number(),
      /** The same protocol on the run's randomly initialised encoder and on raw pixels; null when not asked for. */
      baselines: z.object({ randomInit: z.number().nullable(), rawPixels: z.number().nullable() }).nullable(),
    }),
    method: 'evaluateRun',
    summary: "Linear-probe or fine-tune (label fraction) accuracy of a run's last checkpoint on the validation split, beside the same protocol on the random-init encoder and raw pixels",
  }),
  'runs:reconstruction': call({
    request: z.strictObject({ runId: z.number().int().positive(), count: z.number().int().min(1).max(32).default(6) }),
    reply: z.object({ runId: z.number().int(), rows: z.array(z.object({ input: z.string(), corrupted: z.string(), output: z.string() })) }),
    method: 'runReconstruction',
    summary: 'Autoencoder runs: validation images, their corrupted input and the reconstruction (PNG data URLs)',
  }),
  'sweeps:start': call({
    request: SweepConfigSchema,
    reply: z.object({ sweepId: z.number().int() }),
    method: 'startSweep',
    summary: 'Validate every point of a sweep, then queue its runs one after another',
  }),
  'sweeps:list': call({ request: EmptyRequestSchema, reply: z.array(SweepRecordSchema), method: 'listSweeps', summary: 'All sweeps with their runs and best run' }),
  'sweeps:get': call({
    request: z.strictObject({ sweepId: z.number().int().positive() }),
    reply: SweepRecordSchema,
    method: 'getSweep',
    summary: 'One sweep: settings, runs, final loss and best-epoch kNN of each',
  }),
  'runs:metrics-file': call({
    request: MetricsFileRequestSchema,
    reply: MetricsFileSchema,
    method: 'runMetricsFile',
    summary: 'A run’s metrics as a file to download: CSV (step,epoch,name,value,wall_time), JSON or a TensorBoard event file',
  }),
  'runs:annotate': call({ request: AnnotateRunRequestSchema, reply: RunSchema, method: 'annotateRun', summary: 'Rename, tag or annotate a run' }),
  'runs:baselines': call({
    request: RunRefSchema,
    reply: RunBaselinesSchema,
    method: 'runBaselines',
    summary: 'kNN reference lines of a run: chance, random-init encoder and raw pixels (cached per dataset × encoder)',
  }),
  'runs:delete': call({ request: RunRefSchema, reply: DeleteRunReplySchema, method: 'deleteRun', summary: 'Delete a run that is not running, with its metrics and checkpoint files' }),
} as const;

export type Calls = typeof CALLS;
export type CallChannel = keyof Calls;
/** What a caller may send (defaults not yet applied). */
export type CallRequest<C extends CallChannel> = z.input<Calls[C]['request']>;
/** What a handler receives (validated, defaults applied). */
export type CallParams<C extends CallChannel> = z.output<Calls[C]['request']>;
export type CallReply<C extends CallChannel> = z.output<Calls[C]['reply']>;

export const CALL_CHANNELS = Object.keys(CALLS) as CallChannel[];

export function isCallChannel(value: unknown): value is CallChannel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CALLS, value);
}

/**
 * A call's outcome as it crosses a process boundary. Electron's contextBridge keeps only an Error's
 * message, so calls resolve with this envelope and the renderer's API client rethrows typed errors.
 */
export type Outcome<T> = { ok: true; result: T } | { ok: false; error: WorkbenchErrorShape };

/** The typed surface the preload exposes as `window.workbench`, derived from CALLS. */
export type WorkbenchCalls = {
  [C in CallChannel as Calls[C]['method']]: (request: CallRequest<C>) => Promise<Outcome<CallReply<C>>>;
};
