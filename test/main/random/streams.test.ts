/**
 * Golden values of every seeded stream the workbench draws from, written by the generators as they
 * were before they became one module (src/main/random/). Checkpoints store generator positions and
 * datasets, splits and subsets are chosen by these streams, so a changed value means old checkpoints
 * no longer resume exactly and old imports pick other images: never update a number here to make a
 * change pass.
 */
import { describe, expect, it } from 'vitest';
import * as augment from '../../../src/main/augment/random';
import * as data from '../../../src/main/data/random';
import { SeededRandom } from '../../../src/main/ssl/methods/seeded-random';
import { SeedSequence } from '../../../src/main/ssl/encoders/seed-sequence';
import { mulberry32 } from '../../../src/main/ssl/eval/projection';
import { seededOrder } from '../../../src/main/services/standard-format-import';
import { sample } from '../../../src/main/services/embeddings';

const SEEDS = [0, 1, 42, -7, 2 ** 33 + 5, 4294967295];

describe('seeded streams (golden values)', () => {
  it('augmentation: createRng streams, draws and deriveSeed', () => {
    expect(
      SEEDS.map((s) => {
        const r = augment.createRng(s);
        return [r.next(), r.next(), r.next()];
      }),
    ).toEqual([
      [0.6962601090781391, 0.4086210415698588, 0.47568505839444697],
      [0.5534764977637678, 0.6056276727467775, 0.5776674705557525],
      [0.6558336513116956, 0.8638617997057736, 0.47501156153157353],
      [0.8452123259194195, 0.9966691394802183, 0.5961095148231834],
      [0.9826327876653522, 0.22836465598084033, 0.36487607564777136],
      [0.6149876909330487, 0.07874322985298932, 0.1027938169427216],
    ]);
    const r = augment.createRng(7);
    expect([
      r.uniform(-2, 3),
      r.int(5, 17),
      r.chance(0.5),
      r.chance(0.1),
      r.permutation(8),
    ]).toEqual([-1.0302760910708457, 7, true, false, [3, 6, 7, 5, 0, 1, 2, 4]]);
    expect([
      augment.deriveSeed(0),
      augment.deriveSeed(1, 2),
      augment.deriveSeed(42, 0, 17),
      augment.deriveSeed(-3, 2 ** 40, 1.5),
      augment.deriveSeed(123456789, 3, 4, 5),
    ]).toEqual([555042064, 659639076, 2871697395, 4259058098, 3090027403]);
  });

  it('data: loader/split streams, shuffles, stream seeds and key scores', () => {
    expect(
      SEEDS.map((s) => {
        const r = data.createRng(s);
        return [r(), r(), r()];
      }),
    ).toEqual([
      [0.3588899802416563, 0.10590326134115458, 0.675290479324758],
      [0.18967728852294385, 0.31778763560578227, 0.7830808095168322],
      [0.4813160905614495, 0.9852536325342953, 0.7379171899519861],
      [0.7811260817106813, 0.4673962155357003, 0.5044186774175614],
      [0.217193350661546, 0.9914532694965601, 0.7507520283106714],
      [0.9919345872476697, 0.46276153065264225, 0.22555770655162632],
    ]);
    const r = data.createRng(9);
    expect([
      data.shuffleInPlace([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], r),
      data.randomInt(r, 1000),
      Array.from(data.shuffleInPlace(new Int32Array([5, 6, 7, 8]), r)),
    ]).toEqual([[7, 3, 9, 8, 4, 2, 6, 0, 1, 5], 737, [7, 6, 5, 8]]);
    expect([
      data.deriveSeed(0, 0),
      data.deriveSeed(1, 2),
      data.deriveSeed(42, 17),
      data.deriveSeed(4294967295, 3),
    ]).toEqual([520022130, 1587980121, 2691835837, 1176820882]);
    expect([
      data.keyScore(0, 'a/b.png'),
      data.keyScore(42, 'cat/001.jpg'),
      data.keyScore(7, ''),
    ]).toEqual([0.5502684209495783, 0.036070740316063166, 0.987427891464904]);
  });

  it('methods: SeededRandom draws and the position a checkpoint stores', () => {
    expect(
      SEEDS.map((s) => {
        const r = new SeededRandom(s);
        const v = [r.next(), r.int(100), r.next()];
        return [v, r.position];
      }),
    ).toEqual([
      [[0.26642920868471265, 0, 0.2232720274478197], 1199730143],
      [[0.6270739405881613, 0, 0.5274470399599522], 1199730144],
      [[0.6011037519201636, 44, 0.8524657934904099], 1199730185],
      [[0.43306733411736786, 32, 0.5442695003002882], 1199730136],
      [[0.6897749109193683, 77, 0.21976301027461886], 1199730148],
      [[0.8964226141106337, 18, 0.7156526781618595], 1199730142],
    ]);
    const r = new SeededRandom(5);
    r.next();
    r.next();
    const position = r.position;
    const next = r.next();
    const resumed = new SeededRandom(0);
    resumed.position = position;
    expect([position, next, resumed.next()]).toEqual([
      3663131631, 0.21976301027461886, 0.21976301027461886,
    ]);
  });

  it('encoders: the layer-initialiser seed sequence', () => {
    expect(
      [0, 1, 42, 4294967295].map((b) => {
        const s = new SeedSequence(b);
        return [s.next(), s.next(), s.next()];
      }),
    ).toEqual([
      [3238984002, 3238991921, 3238999840],
      [992161495, 992169414, 992177333],
      [3759074656, 3759082575, 3759090494],
      [3104143921, 3104151840, 3104159759],
    ]);
  });

  it('UMAP random source, standard-format subsets and embedding samples', () => {
    expect(
      [0, 3, 42].map((s) => {
        const r = mulberry32(s);
        return [r(), r(), r()];
      }),
    ).toEqual([
      [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197],
      [0.7202267837710679, 0.03866216051392257, 0.4561921926215291],
      [0.6011037519201636, 0.44829055899754167, 0.8524657934904099],
    ]);
    expect(
      [
        [10, 0],
        [10, 1],
        [7, 42],
      ].map(([n, s]) => seededOrder(n!, s!)),
    ).toEqual([
      [7, 3, 0, 1, 2, 8, 9, 5, 4, 6],
      [6, 7, 0, 4, 9, 8, 3, 2, 5, 1],
      [3, 2, 5, 1, 6, 0, 4],
    ]);
    expect(
      [
        [20, 5, 0],
        [20, 5, 3],
        [100, 7, 42],
        [4, 10, 1],
      ].map(([n, l, s]) => sample(n!, l!, s!)),
    ).toEqual([
      [5, 9, 10, 15, 17],
      [9, 12, 13, 14, 19],
      [0, 10, 17, 19, 36, 41, 64],
      [0, 1, 2, 3],
    ]);
  });
});
