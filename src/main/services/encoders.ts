/**
 * External encoders: `cwb import-encoder model.onnx` copies the model (and its metadata.json, when it
 * sits beside it) into the workspace, checks it loads in onnxruntime, and records it; it can then be
 * scored on any dataset with the same weighted kNN as local runs.
 */
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import { writeDirAtomic } from '../files/atomic-dir';
import type { EncoderRecord } from '../../shared/schemas/encoders';
import type { EncoderRow } from '../store/repositories/encoders';
import type { ServiceContext } from './context';
import type { DatasetsService } from './datasets';
import { trainDataFor } from './training-data';

function describe(row: EncoderRow): EncoderRecord {
  return {
    id: row.id,
    name: row.name,
    path: row.path,
    inputSize: row.input_height,
    channels: row.channels,
    layout: row.layout,
    outputDim: row.output_dim,
    createdAt: row.created_at,
  };
}

export class EncodersService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly datasets: DatasetsService,
  ) {}

  list(): EncoderRecord[] {
    return this.ctx.store.encoders.list().map(describe);
  }

  async import(file: string, name: string): Promise<EncoderRecord> {
    const source = resolve(file);
    if (!existsSync(source) || !statSync(source).isFile()) throw new WorkbenchError('NOT_FOUND', `no ONNX file at ${source}`);
    const folder = join(this.ctx.home, 'encoders', `${Date.now()}-${basename(source, '.onnx').replace(/[^\w.-]/g, '_')}`);
    // The copy is inspected in its temporary folder and appears under encoders/ only when accepted.
    const info = await writeDirAtomic(folder, {}, async (staging) => {
      copyFileSync(source, join(staging, 'model.onnx'));
      const metadata = join(dirname(source), 'metadata.json');
      if (existsSync(metadata)) copyFileSync(metadata, join(staging, 'metadata.json'));
      const inspected = await this.ctx.engine.call('inspectOnnx', { path: join(staging, 'model.onnx') });
      if (inspected.height !== inspected.width) throw new WorkbenchError('INVALID_INPUT', `only square inputs are supported (got ${inspected.height}×${inspected.width})`);
      return inspected;
    });
    const id = this.ctx.store.encoders.insert({
      name,
      path: join(folder, 'model.onnx'),
      source_path: source,
      input_height: info.height,
      input_width: info.width,
      channels: info.channels,
      layout: info.layout,
      output_dim: info.outputDim,
    });
    return describe(this.ctx.store.encoders.get(id)!);
  }

  async evalKnn(encoderId: number, datasetId: number, k: number, temperature: number): Promise<{ encoderId: number; datasetId: number; k: number; accuracy: number }> {
    const encoder = this.ctx.store.encoders.get(encoderId);
    if (!encoder) throw new WorkbenchError('NOT_FOUND', `no imported encoder with id ${encoderId}`);
    const data = await trainDataFor(this.ctx, this.datasets, datasetId);
    const reply = await this.ctx.engine.call('evalKnnOnnx', {
      path: encoder.path,
      cacheFile: data.cacheFile,
      train: data.train,
      val: data.val,
      numClasses: data.numClasses,
      k,
      temperature,
    });
    return { encoderId, datasetId, k: reply.k, accuracy: reply.accuracy };
  }
}
