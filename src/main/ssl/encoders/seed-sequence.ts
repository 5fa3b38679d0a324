/**
 * Deterministic seeds for layer initialisers. tfjs initialisers draw from `Math.random` unless given a
 * seed; handing every layer the next number of one sequence makes the same seed give the same initial
 * weights on every backend (the random numbers are generated in JavaScript, not by the backend).
 */
export class SeedSequence {
  private counter = 0;

  constructor(private readonly base: number) {}

  next(): number {
    this.counter += 1;
    // Spread the seeds so neighbouring layers of neighbouring runs never share a stream.
    return (Math.imul(this.base ^ 0x9e3779b9, 0x85ebca6b) + this.counter * 7919) >>> 0;
  }
}
