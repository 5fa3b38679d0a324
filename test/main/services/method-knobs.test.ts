/** Issue 17 §5: every method hyper-parameter has a one-line explanation kept with the presets. */
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../../src/shared/schemas/method';
import { loadMethodKnobs, loadMethodPreset } from '../../../src/main/services/presets';

describe('method knobs', () => {
  it.each(METHOD_NAMES)('%s: every scalar hyper-parameter of the preset has a tooltip', (method) => {
    const knobs = loadMethodKnobs(method);
    const preset = loadMethodPreset(method) as unknown as Record<string, unknown>;
    const scalars = Object.entries(preset)
      .filter(([key, v]) => !['method', 'encoder', 'head'].includes(key) && (typeof v !== 'object' || v === null))
      .map(([key]) => key);
    for (const key of scalars) expect(knobs[key], `${method}.${key}`).toMatch(/\S.{20,}/);
  });

  it('a method-specific text wins over the generic one', () => {
    expect(loadMethodKnobs('moco')['queueSize']).toMatch(/FIFO queue/);
    expect(loadMethodKnobs('swav')['queueSize']).toMatch(/Sinkhorn/);
    expect(loadMethodKnobs('simclr')['queueSize']).toBeUndefined();
  });
});
