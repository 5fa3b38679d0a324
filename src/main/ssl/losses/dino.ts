/**
 * DINO: self-distillation with no labels — cross-entropy of a centred, sharpened teacher against the
 * student, over every pair of different views, and the teacher-centre EMA.
 * Caron et al. 2021, "Emerging Properties in Self-Supervised Vision Transformers",
 * https://arxiv.org/abs/2104.14294 (Eq. 1–4, Algorithm 1, and the reference `DINOLoss`).
 *
 * Shapes: teacherOutputs — G matrices [N, K], the teacher on the G global views; studentOutputs — V ≥ G
 * matrices [N, K], the student on the same G global views first (same order), then the local views;
 * center [K] (or [1, K]). With Pt = softmax((t − center)/τt) (no gradient, as the reference's
 * `.detach()`) and log Ps = log-softmax(s/τs), the loss is the mean over the batch and over every
 * pair (teacher view g, student view v) with v ≠ g of −Σₖ Pt·log Ps. Returns a scalar.
 *
 * Example (hand-computed): K = 2, one row, teacher views [[0, 0]], [[0, 0]] and the same as students,
 * center 0: every Pt = Ps = (½, ½), so the loss is the entropy log 2 ≈ 0.69315.
 */
import { tf } from '../../compute/tf';
import { stopGradient } from './stop-gradient';
import { assertMatrix, assertPositive, assertSameShape } from './validate';

export interface DinoLossOptions {
  /** Teacher sharpening temperature τt (paper: 0.04, warmed up from 0.04 to 0.07). */
  teacherTemp?: number;
  /** Student temperature τs (paper: 0.1). */
  studentTemp?: number;
}

function assertViews(fn: string, teacher: tf.Tensor2D[], student: tf.Tensor2D[]): tf.Tensor2D {
  const first = teacher[0];
  if (!first) throw new RangeError(`${fn}: need at least one teacher output`);
  if (student.length < teacher.length || student.length < 2) {
    throw new RangeError(
      `${fn}: need ≥ 2 student outputs and at least as many as teacher outputs (${teacher.length}), got ${student.length}`,
    );
  }
  [...teacher, ...student].forEach((t, i) => {
    const name = i < teacher.length ? `teacher ${i}` : `student ${i - teacher.length}`;
    assertMatrix(fn, name, t);
    assertSameShape(fn, ['teacher 0', name], first, t);
  });
  return first;
}

function assertCenter(fn: string, center: tf.Tensor, k: number): void {
  const ok =
    (center.rank === 1 || (center.rank === 2 && center.shape[0] === 1)) && center.size === k;
  if (!ok) {
    throw new RangeError(
      `${fn}: center must have shape [${k}] (or [1, ${k}]), got [${center.shape.join(', ')}]`,
    );
  }
}

export function dinoLoss(
  teacherOutputs: tf.Tensor2D[],
  studentOutputs: tf.Tensor2D[],
  center: tf.Tensor,
  { teacherTemp = 0.04, studentTemp = 0.1 }: DinoLossOptions = {},
): tf.Scalar {
  const fn = 'dinoLoss';
  const first = assertViews(fn, teacherOutputs, studentOutputs);
  assertCenter(fn, center, first.shape[1]);
  assertPositive(fn, 'teacherTemp', teacherTemp);
  assertPositive(fn, 'studentTemp', studentTemp);
  return tf.tidy(() => {
    const c = tf.reshape(center, [1, -1]);
    const targets = teacherOutputs.map((t) =>
      stopGradient(tf.softmax(tf.div(tf.sub(t, c), teacherTemp))),
    );
    const logProbs = studentOutputs.map((s) => tf.logSoftmax(tf.div(s, studentTemp)));
    const terms: tf.Scalar[] = [];
    targets.forEach((q, g) => {
      logProbs.forEach((lp, v) => {
        if (v !== g) terms.push(tf.neg(tf.mean(tf.sum(tf.mul(q, lp), 1))) as tf.Scalar);
      });
    });
    return tf.div(tf.addN(terms), terms.length) as tf.Scalar;
  });
}

/**
 * The teacher centre's EMA (DINO Eq. 4): center·m + (1 − m)·mean of the teacher outputs over all
 * teacher views and the batch. Shapes: center [K] (or [1, K]), teacherOutputs G × [N, K]; returns a new
 * [K] tensor (the caller disposes the old centre).
 */
export function dinoCenterUpdate(
  center: tf.Tensor,
  teacherOutputs: tf.Tensor2D[],
  momentum: number,
): tf.Tensor1D {
  const fn = 'dinoCenterUpdate';
  const first = teacherOutputs[0];
  if (!first) throw new RangeError(`${fn}: need at least one teacher output`);
  teacherOutputs.forEach((t, i) => {
    assertMatrix(fn, `teacher ${i}`, t);
    assertSameShape(fn, ['teacher 0', `teacher ${i}`], first, t);
  });
  assertCenter(fn, center, first.shape[1]);
  if (!Number.isFinite(momentum) || momentum < 0 || momentum > 1)
    throw new RangeError(`${fn}: momentum must be a number in [0, 1], got ${momentum}`);
  return tf.tidy(() => {
    const batchMean = tf.mean(tf.concat(teacherOutputs, 0), 0);
    return tf.add(tf.mul(tf.reshape(center, [-1]), momentum), tf.mul(batchMean, 1 - momentum));
  });
}
