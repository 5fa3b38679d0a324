/**
 * One line each on what makes a positive, what the negatives are, the loss and the state a method
 * keeps (the table in the architecture notes). Shown next to the method preset in the designer.
 * A method preset that carries its own `explanation` object takes precedence (see `methodNotes`).
 */
import type { MethodName } from '../../../shared/schemas/method';

export interface MethodNotes {
  title: string;
  positives: string;
  negatives: string;
  loss: string;
  state: string;
  paper: string;
}

export const METHOD_NOTES: Record<MethodName, MethodNotes> = {
  simclr: {
    title: 'SimCLR (end-to-end)',
    positives: 'two augmented views of the same image',
    negatives: 'the other 2N−2 views in the batch',
    loss: 'NT-Xent / InfoNCE on cosine similarity with temperature τ',
    state: 'none — larger batches mean more negatives',
    paper: 'arXiv:2002.05709',
  },
  'memory-bank': {
    title: 'Memory bank (InstDisc / NPID)',
    positives: "a view against the image's own bank entry",
    negatives: 'K entries sampled from the bank',
    loss: 'NCE / InfoNCE',
    state: 'a bank of all N embeddings, entries updated with momentum',
    paper: 'arXiv:1805.01978',
  },
  moco: {
    title: 'MoCo v1/v2 (momentum contrast)',
    positives: 'a query against the key of the momentum encoder',
    negatives: 'a FIFO queue of K past keys',
    loss: 'InfoNCE',
    state: 'momentum encoder (EMA m) and the key queue',
    paper: 'arXiv:1911.05722',
  },
  swav: {
    title: 'SwAV (swapped assignments)',
    positives: "swapped prediction between the views' cluster codes",
    negatives: 'none — prototypes (clusters) replace pairwise negatives',
    loss: 'cross-entropy of Sinkhorn-Knopp codes against softmax(z·C/τ)',
    state: 'prototypes C, optional feature queue; multi-crop views',
    paper: 'arXiv:2006.09882',
  },
  pirl: {
    title: 'PIRL (pretext-invariant)',
    positives: 'an image and its jigsaw-transformed version',
    negatives: 'entries of the memory bank',
    loss: 'NCE with a memory bank, λ mix of two terms',
    state: 'memory bank',
    paper: 'arXiv:1912.01991',
  },
  triplet: {
    title: 'Triplet',
    positives: 'anchor and another view of it',
    negatives: 'another image (random or semi-hard mined)',
    loss: 'max(0, d(a,p) − d(a,n) + α)',
    state: 'none',
    paper: 'arXiv:1503.03832',
  },
  'margin-contrastive': {
    title: 'Margin contrastive (Hadsell 2006)',
    positives: 'similar pairs, pulled to distance 0',
    negatives: 'dissimilar pairs, pushed past the margin m',
    loss: '½·d² for positives, ½·max(0, m − d)² for negatives',
    state: 'none',
    paper: 'doi:10.1109/CVPR.2006.100',
  },
  byol: {
    title: 'BYOL (bootstrap your own latent)',
    positives: "an online prediction of the other view's target projection",
    negatives: 'none — a predictor and a slowly moving target prevent collapse',
    loss: 'negative cosine similarity, symmetrised over the two views',
    state: 'target network (EMA m of the online encoder + projector)',
    paper: 'arXiv:2006.07733',
  },
  simsiam: {
    title: 'SimSiam (simple Siamese)',
    positives: "a predictor output against the other view's projection",
    negatives: 'none — the stop-gradient alone prevents collapse',
    loss: 'negative cosine similarity with stop-gradient, symmetrised',
    state: 'none',
    paper: 'arXiv:2011.10566',
  },
  'barlow-twins': {
    title: 'Barlow Twins (redundancy reduction)',
    positives: 'the two views, feature by feature',
    negatives: 'none — decorrelating features prevents collapse',
    loss: 'cross-correlation matrix to the identity, λ on off-diagonals',
    state: 'none',
    paper: 'arXiv:2103.03230',
  },
  vicreg: {
    title: 'VICReg (variance-invariance-covariance)',
    positives: 'the two views (MSE between their embeddings)',
    negatives: 'none — variance and covariance terms prevent collapse',
    loss: 'λ·invariance + μ·variance hinge + ν·off-diagonal covariance',
    state: 'none',
    paper: 'arXiv:2105.04906',
  },
  dino: {
    title: 'DINO (self-distillation)',
    positives: "every student crop against the teacher's other global crops",
    negatives: 'none — centring and sharpening the teacher prevent collapse',
    loss: 'cross-entropy of the sharpened, centred teacher against the student',
    state: 'teacher network (EMA), output centre; multi-crop views',
    paper: 'arXiv:2104.14294',
  },
  autoencoder: {
    title: 'Autoencoder (generative baseline)',
    positives: 'none — the image itself is the target',
    negatives: 'none',
    loss: 'pixel MSE of the decoder output against the clean view (input: none / noise / mask corrupted)',
    state: 'decoder',
    paper: 'arXiv:2011.00362 (survey, Sec. 2)',
  },
};

function isNotes(value: unknown): value is Partial<MethodNotes> {
  return typeof value === 'object' && value !== null;
}

/** Notes for a method, preferring an `explanation` the preset itself carries. */
export function methodNotes(method: MethodName, presetConfig: unknown): MethodNotes {
  const fromPreset = isNotes(presetConfig)
    ? (presetConfig as { explanation?: unknown }).explanation
    : undefined;
  return isNotes(fromPreset) ? { ...METHOD_NOTES[method], ...fromPreset } : METHOD_NOTES[method];
}
