/** SwAV prototype assignments of a run, shaped for the Prototypes view. */
import { WorkbenchError } from '../../shared/errors';
import type { PrototypeSummary } from '../../shared/schemas/prototypes';
import type { ServiceContext } from './context';
import type { ExperimentsService } from './experiments';
import { thumbnails } from './thumbnails';

export class PrototypesService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly experiments: ExperimentsService,
  ) {}

  summary(runId: number): PrototypeSummary {
    const run = this.ctx.store.runs.get(runId);
    if (!run) throw new WorkbenchError('NOT_FOUND', `no run with id ${runId}`);
    const experiment = this.experiments.get(run.experiment_id);
    const { method } = this.experiments.resolve(experiment);
    const prototypes = method.method === 'swav' ? method.prototypes : 0;
    const repo = this.ctx.store.prototypeAssignments;
    const epochs = repo.epochs(runId);
    const usage = epochs.map((epoch) => {
      const counts = new Array<number>(prototypes).fill(0);
      for (const u of repo.usage(runId, epoch)) if (u.prototype < prototypes) counts[u.prototype] = u.count;
      return { epoch, counts };
    });
    const dataset = this.ctx.store.datasets.get(experiment.datasetId);
    const classes = dataset ? (JSON.parse(dataset.classes_json) as string[]) : [];
    const column = new Map(classes.map((c, i) => [c, i]));
    const heatmap = Array.from({ length: prototypes }, () => new Array<number>(classes.length).fill(0));
    const last = epochs.at(-1);
    if (last !== undefined) {
      for (const cell of repo.byClass(runId, last)) {
        const j = cell.label === null ? undefined : column.get(cell.label);
        const row = heatmap[cell.prototype];
        if (row && j !== undefined) row[j] = cell.count;
      }
    }
    return { runId, prototypes, epochs, usage, entropy: repo.meanEntropy(runId), classes, heatmap };
  }

  async gallery(runId: number, epoch: number, prototype: number, limit: number): Promise<{ imageId: number; entropy: number; url: string; label: string | null }[]> {
    const members = this.ctx.store.prototypeAssignments.members(runId, epoch, prototype, limit);
    const urls = new Map((await thumbnails(this.ctx, members.map((m) => m.imageId))).map((t) => [t.imageId, t.url]));
    const labels = new Map(this.ctx.store.images.byIds(members.map((m) => m.imageId)).map((r) => [r.id, r.label]));
    return members.map((m) => ({ ...m, url: urls.get(m.imageId) ?? '', label: labels.get(m.imageId) ?? null }));
  }
}
