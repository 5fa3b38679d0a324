/**
 * TensorFlow.js LayersModel files — `model.json` + `group1-shardKofN.bin` — written and read through
 * custom `tf.io` handlers on the local file system (tfjs' own `file://` handler lives in tfjs-node,
 * which this app does not require). The layout is the one `tf.loadLayersModel('https://…/model.json')`
 * expects in a browser and `tfjs_converter`'s Keras tooling produces, so the folder can be served as is.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '../compute/tf';
import { writeFileAtomic } from '../files/atomic-file';

export const MODEL_JSON = 'model.json';
/** tfjs' default shard size: 4 MiB keeps browser caches and CDNs happy. */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

function weightBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  return new Uint8Array(tf.io.concatenateArrayBuffers(Array.isArray(data) ? data : [data]));
}

/** Save handler writing into `dir` (which must exist); `written` collects the file names. */
export function fileSystemSaveHandler(dir: string, written: string[] = [], shardBytes = DEFAULT_SHARD_BYTES): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const topology = artifacts.modelTopology;
      if (!topology || topology instanceof ArrayBuffer) throw new Error('tfjs export: the model has no JSON topology');
      const bytes = weightBytes(artifacts.weightData);
      const count = Math.max(1, Math.ceil(bytes.byteLength / shardBytes));
      const paths = Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
      for (const [i, path] of paths.entries()) {
        await writeFileAtomic(join(dir, path), bytes.subarray(i * shardBytes, (i + 1) * shardBytes));
        written.push(path);
      }
      const modelJson: tf.io.ModelJSON = {
        modelTopology: topology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      written.push(MODEL_JSON);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** Load handler reading `dir/model.json` and the shards its manifest names. */
export function fileSystemLoadHandler(dir: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const modelJson = JSON.parse(await readFile(join(dir, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const path of group.paths) {
            const file = await readFile(join(dir, path));
            buffers.push(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
          }
        }
        return [tf.io.getWeightSpecs(manifest), tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

/** Writes `model` into the existing folder `dir`; returns the file names written. */
export async function saveTfjsModel(model: tf.LayersModel, dir: string, shardBytes = DEFAULT_SHARD_BYTES): Promise<string[]> {
  const written: string[] = [];
  await model.save(fileSystemSaveHandler(dir, written, shardBytes));
  return written;
}

/** Loads a LayersModel folder written by `saveTfjsModel` (or by any tfjs / Keras converter). */
export function loadTfjsModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileSystemLoadHandler(dir));
}
