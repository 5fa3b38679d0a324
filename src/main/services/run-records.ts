/**
 * Runs as records (issue 17 §2–3): metric files to take elsewhere (CSV, JSON, TensorBoard), the
 * researcher's own name, tags and note, and deleting a run with its checkpoint files.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import type { AnnotateRunRequest, MetricsFile, MetricsFormat } from '../../shared/schemas/run-records';
import { metricsCsv, metricsJson } from '../export/metrics-table';
import { eventFileName, scalarEventFile } from '../export/tensorboard';
import type { ServiceContext } from './context';
import type { RunsService } from './runs';

/** Seconds since the epoch of a stored ISO timestamp, or null. */
function seconds(iso: string | null): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t / 1000;
}

export class RunRecordsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly runs: RunsService,
  ) {}

  /** The run's metrics as one file in `format` (bytes and a file name). */
  metricsFile(runId: number, format: MetricsFormat): { fileName: string; mimeType: string; bytes: Buffer } {
    const run = this.runs.get(runId);
    const points = this.ctx.store.metrics.all(runId);
    switch (format) {
      case 'csv':
        return { fileName: `run-${runId}-metrics.csv`, mimeType: 'text/csv', bytes: Buffer.from(metricsCsv(points)) };
      case 'json':
        return { fileName: `run-${runId}-metrics.json`, mimeType: 'application/json', bytes: Buffer.from(`${JSON.stringify(metricsJson(runId, points))}\n`) };
      case 'tensorboard': {
        const start = seconds(run.started_at) ?? seconds(run.created_at) ?? Date.now() / 1000;
        return { fileName: eventFileName(start, runId), mimeType: 'application/octet-stream', bytes: scalarEventFile(points, start) };
      }
    }
  }

  /** `runs:metrics-file`: the file as base64 for the renderer's download. */
  metricsDownload(runId: number, format: MetricsFormat): MetricsFile {
    const { fileName, mimeType, bytes } = this.metricsFile(runId, format);
    return { fileName, mimeType, base64: bytes.toString('base64') };
  }

  annotate(request: AnnotateRunRequest): void {
    this.runs.get(request.runId);
    const name = request.name === undefined ? undefined : request.name === null || request.name.trim() === '' ? null : request.name.trim();
    const tags = request.tags === undefined ? undefined : [...new Set(request.tags.map((t) => t.trim()))];
    this.ctx.store.runs.annotate(request.runId, { ...(name !== undefined ? { name } : {}), ...(tags ? { tags } : {}), ...(request.note !== undefined ? { note: request.note } : {}) });
  }

  /**
   * Delete a run that is not queued or running: its record, metrics, previews and assignments
   * (cascade) and its checkpoint files in the workspace. Exports written elsewhere stay.
   */
  delete(runId: number): { runId: number; checkpointsRemoved: number } {
    const run = this.runs.get(runId);
    if (run.status === 'running' || run.status === 'queued') {
      throw new WorkbenchError('CONFLICT', `run ${runId} is ${run.status}; cancel it before deleting it`);
    }
    const checkpoints = this.ctx.store.checkpoints.list(runId);
    const dir = join(this.ctx.home, 'checkpoints', `run-${runId}`);
    let removed = 0;
    // Only what the workbench wrote under its own checkpoints folder is ever removed.
    const own = resolve(this.ctx.home, 'checkpoints') + sep;
    for (const c of checkpoints) {
      if (resolve(c.path).startsWith(own) && existsSync(c.path)) {
        rmSync(c.path, { recursive: true, force: true });
        removed += 1;
      }
    }
    rmSync(dir, { recursive: true, force: true });
    this.ctx.store.runs.delete(runId);
    return { runId, checkpointsRemoved: removed };
  }
}
