import { describe, expect, it } from 'vitest';
import { ExperimentSchema } from '../../../src/shared/schemas/experiment';
import { useTestWorkspace } from '../../helpers/workspace';

const workspace = useTestWorkspace();

describe('resolving an experiment', () => {
  it('keeps methodOverrides.encoder fields when the experiment also names its encoder', () => {
    const experiment = ExperimentSchema.parse({
      datasetId: 1,
      batchSize: 4,
      method: 'simclr',
      encoder: 'small',
      methodOverrides: { encoder: { name: 'resnet18', widthMultiplier: 2, batchNormMomentum: 0.99 } },
    });
    const { method } = workspace.services.experiments.resolve(experiment);
    // The top-level name wins; the other encoder fields of the overrides survive.
    expect(method.encoder).toEqual({ name: 'small', widthMultiplier: 2, batchNormMomentum: 0.99 });
  });

  it('takes the encoder name from either place and the rest from the method preset', () => {
    const named = workspace.services.experiments.resolve(ExperimentSchema.parse({ datasetId: 1, batchSize: 4, method: 'moco', encoder: 'resnet18-cifar' }));
    expect(named.method.encoder).toEqual({ name: 'resnet18-cifar', widthMultiplier: 1, batchNormMomentum: 0.9 });
    const overridden = workspace.services.experiments.resolve(
      ExperimentSchema.parse({ datasetId: 1, batchSize: 4, method: 'moco', methodOverrides: { encoder: { widthMultiplier: 0.5 } } }),
    );
    expect(overridden.method.encoder).toEqual({ name: 'small', widthMultiplier: 0.5, batchNormMomentum: 0.9 });
  });
});
