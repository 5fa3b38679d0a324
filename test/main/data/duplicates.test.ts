import { describe, expect, it } from 'vitest';
import { DUPLICATE_COPIES_SHOWN, DUPLICATE_GROUPS_SHOWN, duplicatesReport, findDuplicates } from '../../../src/main/data/duplicates';

describe('duplicatesReport', () => {
  it('is empty when every file is unique', () => {
    expect(duplicatesReport([{ relPath: 'a.png', duplicateOf: null, label: null }])).toEqual({ files: 0, groups: 0, shown: [] });
  });

  it('groups copies under the kept file, largest set first, and flags sets whose labels disagree', () => {
    const files = [
      { relPath: 'cat/1.png', hash: 'h1', label: 'cat' },
      { relPath: 'cat/2.png', hash: 'h2', label: 'cat' },
      { relPath: 'cat/3.png', hash: 'h2', label: 'cat' },
      { relPath: 'dog/1.png', hash: 'h1', label: 'dog' },
      { relPath: 'dog/2.png', hash: 'h2', label: 'dog' },
      { relPath: 'x.png', hash: 'h3', label: null },
    ];
    const dupOf = findDuplicates(files);
    const report = duplicatesReport(files.map((f) => ({ ...f, duplicateOf: dupOf.get(f.relPath) ?? null })));
    expect(report).toEqual({
      files: 3,
      groups: 2,
      shown: [
        { kept: 'cat/2.png', copies: ['cat/3.png', 'dog/2.png'], count: 2, conflictingLabels: ['cat', 'dog'] },
        { kept: 'cat/1.png', copies: ['dog/1.png'], count: 1, conflictingLabels: ['cat', 'dog'] },
      ],
    });
  });

  it('caps the listed sets and copies but keeps exact counts', () => {
    const images: { relPath: string; duplicateOf: string | null; label: string | null }[] = [];
    const sets = DUPLICATE_GROUPS_SHOWN + 5;
    for (let g = 0; g < sets; g += 1) {
      const kept = `k${String(g).padStart(3, '0')}.png`;
      images.push({ relPath: kept, duplicateOf: null, label: 'a' });
      const copies = g === 0 ? DUPLICATE_COPIES_SHOWN + 7 : 1;
      for (let c = 0; c < copies; c += 1) images.push({ relPath: `c${g}-${c}.png`, duplicateOf: kept, label: 'a' });
    }
    const report = duplicatesReport(images);
    expect(report.groups).toBe(sets);
    expect(report.files).toBe(DUPLICATE_COPIES_SHOWN + 7 + sets - 1);
    expect(report.shown).toHaveLength(DUPLICATE_GROUPS_SHOWN);
    expect(report.shown[0]).toMatchObject({ kept: 'k000.png', count: DUPLICATE_COPIES_SHOWN + 7 });
    expect(report.shown[0]!.copies).toHaveLength(DUPLICATE_COPIES_SHOWN);
    expect(report.shown[0]!.conflictingLabels).toEqual([]);
  });
});
