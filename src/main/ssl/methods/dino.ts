/**
 * DINO, self-distillation with no labels (Caron et al. 2021, https://arxiv.org/abs/2104.14294,
 * Algorithm 1). A student network sees every crop (global crops at the image size, then local crops);
 * a teacher — an EMA of the student, no gradient — sees only the global crops. Teacher outputs are
 * centred (running mean, momentum `centerMomentum`) and sharpened (τt), the student's softened (τs);
 * the loss is `dinoLoss` over every pair of different views. The head is the configured blocks (the
 * paper's MLP up to its bottleneck), then the paper's last layer: L2-normalise, weight-normalised
 * linear with g fixed to 1 (`norm_last_layer`), K = `outputDim` outputs (heads/weight-norm-linear.ts).
 * Two schedules of the reference main_dino.py, both per epoch (the trainer calls `beginEpoch`): the
 * last layer is frozen — no update at all — during the first `freezeLastLayer` epochs
 * (`cancel_gradients_last_layer`), and τt warms up linearly from `warmupTeacherTemp` over
 * `warmupTeacherTempEpochs` epochs (schedules/teacher-temperature.ts).
 * State: student, teacher, centre (the epoch is the trainer's, so resuming needs no extra state).
 */
import { tf } from '../../compute/tf';
import type { MethodConfigOf } from '../../../shared/schemas/method';
import { dinoCenterUpdate, dinoLoss } from '../losses/dino';
import { teacherTempAt } from '../schedules/teacher-temperature';
import { stopGradient } from '../losses/stop-gradient';
import { MomentumNetwork } from './momentum-network';
import { checkBatch, Network } from './network';
import { restoreTensor, tensorState } from './state';
import { viewsNeeded, type ViewSpec } from '../../specs/views';
import type { MethodBatch, MethodContext, MethodState, SslMethod } from './types';

export class DinoMethod implements SslMethod {
  readonly name = 'dino' as const;
  readonly viewsNeeded: ViewSpec;
  private readonly student: Network;
  private readonly teacher: MomentumNetwork;
  private center: tf.Tensor1D;
  /** Teacher outputs of the last `loss` call, for the centre update after the step. */
  private pending: tf.Tensor2D[] = [];
  private epoch = 0;

  constructor(
    readonly config: MethodConfigOf<'dino'>,
    context: MethodContext,
  ) {
    if (config.largeCrops + config.smallCrops < 2)
      throw new RangeError('dino: need at least two crops in total (largeCrops + smallCrops)');
    this.viewsNeeded = viewsNeeded(config, context.imageSize);
    const opts = {
      encoder: config.encoder,
      head: config.head,
      context,
      variableInputSize: config.smallCrops > 0,
      normalizedOutputDim: config.outputDim,
    };
    this.student = new Network({ ...opts, role: 'student' });
    this.teacher = new MomentumNetwork(this.student, { ...opts, role: 'teacher' });
    this.center = tf.zeros([this.student.outputDim]);
  }

  get encoder(): tf.LayersModel {
    return this.student.encoder;
  }

  trainableVariables(): tf.Variable[] {
    return this.student.variables();
  }

  beginEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  /** The student's last layer while `epoch < freezeLastLayer` (the teacher is never trained). */
  frozenVariables(): tf.Variable[] {
    return this.epoch < this.config.freezeLastLayer ? this.student.lastLayerVariables() : [];
  }

  /** τt of the current epoch. */
  get teacherTemp(): number {
    return teacherTempAt(this.epoch, this.config);
  }

  loss(batch: MethodBatch): tf.Scalar {
    const { largeCrops, smallCrops, studentTemp } = this.config;
    const teacherTemp = this.teacherTemp;
    const n = checkBatch(this.name, batch.views, batch.indices, largeCrops + smallCrops);
    return tf.tidy(() => {
      const global = batch.views.slice(0, largeCrops);
      // One forward pass per resolution, as the reference code does.
      const forward = (net: Network, group: tf.Tensor4D[]): tf.Tensor2D[] => {
        if (group.length === 0) return [];
        const out = net.project(tf.concat(group, 0) as tf.Tensor4D, true);
        return group.map((_, i) => tf.slice(out, [i * n, 0], [n, -1]));
      };
      const teacherOut = forward(this.teacher.network, global).map((t) => stopGradient(t));
      const studentOut = [
        ...forward(this.student, global),
        ...forward(this.student, batch.views.slice(largeCrops)),
      ];
      tf.dispose(this.pending);
      this.pending = teacherOut.map((t) => tf.keep(tf.clone(t)));
      return dinoLoss(teacherOut, studentOut, this.center, { teacherTemp, studentTemp });
    });
  }

  /** Teacher EMA, then the centre's EMA over this step's teacher outputs. */
  afterStep(): void {
    this.teacher.update(this.config.momentum);
    if (this.pending.length > 0) {
      const next = dinoCenterUpdate(this.center, this.pending, this.config.centerMomentum);
      this.center.dispose();
      this.center = next;
      tf.dispose(this.pending);
      this.pending = [];
    }
  }

  embed(images: tf.Tensor4D): tf.Tensor2D {
    return this.student.features(images, false);
  }

  async getState(): Promise<MethodState> {
    return {
      ...(await this.student.state()),
      ...(await this.teacher.network.state()),
      center: await tensorState(this.center),
    };
  }

  setState(state: MethodState): void {
    this.student.load(state);
    this.teacher.network.load(state);
    const center = restoreTensor(state, 'center', [...this.center.shape]) as tf.Tensor1D;
    this.center.dispose();
    this.center = center;
  }

  dispose(): void {
    tf.dispose([...this.pending, this.center]);
    this.student.dispose();
    this.teacher.network.dispose();
  }
}
