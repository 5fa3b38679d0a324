/** The workspace's record: one database, one repository per table. */
import { openDatabase, schemaVersion, type Db, type OpenOptions } from './db';
import { BaselinesRepository } from './repositories/baselines';
import { CheckpointsRepository } from './repositories/checkpoints';
import { DatasetsRepository } from './repositories/datasets';
import { ExperimentsRepository } from './repositories/experiments';
import { ExportsRepository } from './repositories/exports';
import { ImagesRepository } from './repositories/images';
import { MetricsRepository } from './repositories/metrics';
import { PreviewsRepository } from './repositories/previews';
import { PrototypeAssignmentsRepository } from './repositories/prototype-assignments';
import { ProjectionsRepository } from './repositories/projections';
import { EncodersRepository } from './repositories/encoders';
import { RunsRepository } from './repositories/runs';
import { SkippedFilesRepository } from './repositories/skipped-files';

export class Store {
  readonly datasets: DatasetsRepository;
  readonly images: ImagesRepository;
  readonly skippedFiles: SkippedFilesRepository;
  readonly experiments: ExperimentsRepository;
  readonly runs: RunsRepository;
  readonly metrics: MetricsRepository;
  readonly previews: PreviewsRepository;
  readonly prototypeAssignments: PrototypeAssignmentsRepository;
  readonly checkpoints: CheckpointsRepository;
  readonly exports: ExportsRepository;
  readonly projections: ProjectionsRepository;
  readonly encoders: EncodersRepository;
  readonly baselines: BaselinesRepository;

  constructor(
    readonly db: Db,
    readonly path: string,
  ) {
    this.datasets = new DatasetsRepository(db);
    this.images = new ImagesRepository(db);
    this.skippedFiles = new SkippedFilesRepository(db);
    this.experiments = new ExperimentsRepository(db);
    this.runs = new RunsRepository(db);
    this.metrics = new MetricsRepository(db);
    this.previews = new PreviewsRepository(db);
    this.prototypeAssignments = new PrototypeAssignmentsRepository(db);
    this.checkpoints = new CheckpointsRepository(db);
    this.exports = new ExportsRepository(db);
    this.projections = new ProjectionsRepository(db);
    this.encoders = new EncodersRepository(db);
    this.baselines = new BaselinesRepository(db);
  }

  static open(file: string, options?: OpenOptions): Store {
    return new Store(openDatabase(file, options), file);
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  /** Run `fn` in one transaction: all of it lands or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
