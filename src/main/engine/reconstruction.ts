/**
 * The autoencoder's reconstruction preview: validation (or training) images, their corrupted form and
 * the decoder's output, in inference mode, from the run's last checkpoint — as PNGs.
 */
import { WorkbenchError } from '../../shared/errors';
import { batchToPngs } from '../augment/image-io';
import { readImages } from '../data/cache-images';
import { AutoencoderMethod } from '../ssl/methods/autoencoder';
import type { EngineMethods, EngineResult } from './protocol';
import { openRunModel } from './run-model';

export async function reconstructionPreview(req: EngineMethods['reconstructionPreview']['params']): Promise<EngineResult<'reconstructionPreview'>> {
  const { cache, method, close } = await openRunModel(req.model);
  try {
    if (!(method instanceof AutoencoderMethod)) throw new WorkbenchError('INVALID_INPUT', `a reconstruction preview needs an autoencoder run, not ${method.name}`);
    const input = await readImages(cache, req.cacheIndices, req.model.imageSize);
    const corrupted = method.corrupt(input);
    const output = method.reconstruct(corrupted, false);
    try {
      const [a, b, c] = await Promise.all([batchToPngs(input), batchToPngs(corrupted), batchToPngs(output)]);
      return { input: a, corrupted: b, output: c };
    } finally {
      input.dispose();
      corrupted.dispose();
      output.dispose();
    }
  } finally {
    await close();
  }
}
