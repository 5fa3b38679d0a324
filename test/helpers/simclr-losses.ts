/**
 * The seeded losses of a tiny SimCLR over `steps` steps on the active backend, with one environment
 * variable set for the duration (which kernel runs): the numerical check every kernel change repeats.
 */
import { createMethod } from '../../src/main/ssl/index';
import { syntheticImages, tinyConfig, trainLosses } from '../main/ssl/fixtures';

export async function simclrLossesWith(
  variable: string,
  value: string,
  steps = 8,
  config: Record<string, unknown> = {},
): Promise<number[]> {
  const before = process.env[variable];
  process.env[variable] = value;
  const context = { imageSize: 16, channels: 3 as const, datasetSize: 16, seed: 11 };
  const dataset = syntheticImages(16, context.imageSize, context.channels, 1);
  const method = createMethod('simclr', tinyConfig('simclr', config), context);
  try {
    return await trainLosses(method, dataset, steps);
  } finally {
    method.dispose();
    dataset.dispose();
    if (before === undefined) delete process.env[variable];
    else process.env[variable] = before;
  }
}
