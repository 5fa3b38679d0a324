/** Every seeded stream of the workbench: one generator (rng.ts), seed derivations, index subsets. */
export { createDataRng, createRng, SeededRng, shuffleInPlace, type Rng } from './rng';
export { deriveSeed, keyScore, SeedSequence, streamSeed, tfSeed } from './seeds';
export { sampleIndices, seededOrder } from './subsets';
