import { describe, expect, it } from 'vitest';
import { useTestWorkspace } from '../../helpers/workspace';

const ws = useTestWorkspace({ classes: ['circle', 'square'], perClass: 6, valFraction: 0.34 });

describe('datasets:images filtered by class and split', () => {
  it('pages only the images of one class and/or one split, the total counting only those', () => {
    const all = ws.services.datasets.images({ datasetId: 1, offset: 0, limit: 100 });
    expect(all.total).toBe(12);
    const circles = ws.services.datasets.images({ datasetId: 1, offset: 0, limit: 100, label: 'circle' });
    expect(circles.total).toBe(6);
    expect(new Set(circles.images.map((i) => i.label))).toEqual(new Set(['circle']));
    const val = ws.services.datasets.images({ datasetId: 1, offset: 0, limit: 100, split: 'val' });
    expect(val.total).toBe(all.images.filter((i) => i.split === 'val').length);
    expect(val.total).toBeGreaterThan(0);
    const valSquares = ws.services.datasets.images({ datasetId: 1, offset: 0, limit: 1, label: 'square', split: 'val' });
    expect(valSquares.total).toBe(all.images.filter((i) => i.split === 'val' && i.label === 'square').length);
    expect(valSquares.images).toHaveLength(1);
    expect(valSquares.images[0]).toMatchObject({ label: 'square', split: 'val' });
    expect(ws.services.datasets.images({ datasetId: 1, offset: 0, limit: 100, label: null }).total).toBe(0);
    expect(ws.services.datasets.images({ datasetId: 1, offset: 0, limit: 100, label: 'no such class' }).total).toBe(0);
  });
});
