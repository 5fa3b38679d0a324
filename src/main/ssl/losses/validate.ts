/**
 * Argument checks shared by the losses: a wrong shape or a non-positive temperature is a caller bug,
 * reported as a `RangeError` naming the function and the offending value instead of a NaN later on.
 */
import type { tf } from '../../compute/tf';

export function assertMatrix(fn: string, name: string, t: tf.Tensor): void {
  if (t.rank !== 2)
    throw new RangeError(`${fn}: ${name} must be 2-D [N, D], got shape [${t.shape.join(', ')}]`);
  if (t.size === 0) throw new RangeError(`${fn}: ${name} is empty (shape [${t.shape.join(', ')}])`);
}

export function assertSameShape(
  fn: string,
  names: [string, string],
  a: tf.Tensor,
  b: tf.Tensor,
): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(
      `${fn}: ${names[0]} [${a.shape.join(', ')}] and ${names[1]} [${b.shape.join(', ')}] must have the same shape`,
    );
  }
}

export function assertPositive(fn: string, name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`${fn}: ${name} must be a finite number > 0, got ${value}`);
}

export function assertNonNegative(fn: string, name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${fn}: ${name} must be a finite number ≥ 0, got ${value}`);
}

export function assertInteger(fn: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${fn}: ${name} must be an integer ≥ ${min}, got ${value}`);
}
