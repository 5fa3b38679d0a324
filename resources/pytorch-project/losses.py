"""Contrastive losses, distributed: each rank computes the rows of its own images, against the
negatives of the whole global batch. With DistributedDataParallel averaging gradients over ranks,
the result equals the workbench's single-device loss over 'batchSize' images.
Workbench sources: src/main/ssl/losses/{ntxent,infonce,sinkhorn,swav,triplet,margin-contrastive,distance,negative-cosine,barlow-twins,vicreg,dino}.ts
and src/main/ssl/methods/in-batch-negatives.ts (semi-hard mining).
"""
import torch
import torch.nn.functional as F

from distributed import all_reduce, gather_with_grad, rank, world_size


def nt_xent(z0, z1, temperature):
    """SimCLR's NT-Xent (Chen et al. 2020, https://arxiv.org/abs/2002.05709, Eq. 1).
    z0, z1: [n, D] local views; row i of z0 and z1 are a positive pair. Every row is scored against
    the other 2N - 1 rows of the GLOBAL batch (N = n * world), mean over this rank's 2n rows."""
    n = z0.shape[0]
    a0, a1 = gather_with_grad(z0), gather_with_grad(z1)
    big_n = a0.shape[0]
    z = F.normalize(torch.cat([a0, a1]), dim=1)
    own = torch.arange(n, device=z.device) + rank() * n
    rows = torch.cat([own, own + big_n])
    partners = torch.cat([own + big_n, own])
    logits = z[rows] @ z.t() / temperature
    self_mask = F.one_hot(rows, 2 * big_n).to(logits.dtype) * 1e9
    masked = logits - self_mask
    positives = logits.gather(1, partners.view(-1, 1)).squeeze(1)
    return (torch.logsumexp(masked, dim=1) - positives).mean()


def info_nce(q, k, negatives, temperature):
    """MoCo's InfoNCE (He et al. 2019, https://arxiv.org/abs/1911.05722, Eq. 1): logits
    [q.k, q.n_1 ... q.n_K] / tau, cross-entropy of class 0. All inputs L2-normalised inside."""
    q, k, negatives = F.normalize(q, dim=1), F.normalize(k, dim=1), F.normalize(negatives, dim=1)
    logits = torch.cat([(q * k).sum(1, keepdim=True), q @ negatives.t()], dim=1) / temperature
    return F.cross_entropy(logits, torch.zeros(q.shape[0], dtype=torch.long, device=q.device))


@torch.no_grad()
def sinkhorn(scores, epsilon, iterations, collective=True):
    """SwAV's Sinkhorn-Knopp (Caron et al. 2020, https://arxiv.org/abs/2006.09882, distributed
    version of Algorithm 1): scores [B_local, P] -> codes [B_local, P] whose rows sum to 1 and whose
    prototype columns are used equally across ALL ranks (sums all-reduced; collective=False: this
    rank's rows alone, for a caller that holds every row)."""
    reduce = all_reduce if collective else (lambda x, op="sum": x)
    top = reduce(scores.max().clone(), "max")
    q = torch.exp((scores - top) / epsilon).t()
    prototypes, rows = q.shape[0], q.shape[1] * (world_size() if collective else 1)
    q = q / reduce(q.sum().clone())
    for _ in range(iterations):
        q = q / reduce(q.sum(dim=1, keepdim=True)) / prototypes
        q = q / q.sum(dim=0, keepdim=True) / rows
    return (q * rows).t()


def swapped_prediction(codes, scores, temperature):
    """codes[i] (no gradient) of large crop i predicts softmax(scores[j] / tau) of every other crop
    j; averaged over the other crops, then over the large crops."""
    log_probs = [F.log_softmax(s / temperature, dim=1) for s in scores]
    total = 0.0
    for i, q in enumerate(codes):
        others = [-(q * lp).sum(dim=1).mean() for j, lp in enumerate(log_probs) if j != i]
        total = total + sum(others) / (len(scores) - 1)
    return total / len(codes)


def row_distance(a, b):
    """Row-wise ||a - b + eps||, eps = 1e-6: PyTorch's pairwise_distance stabiliser, as the workbench."""
    return torch.sqrt(((a - b + 1e-6) ** 2).sum(dim=1))


def triplet_loss(anchor, positive, negative, margin):
    """FaceNet's triplet loss (Schroff et al. 2015, https://arxiv.org/abs/1503.03832, Eq. 1):
    mean over rows of max(0, d(a, p) - d(a, n) + margin)."""
    return F.relu(row_distance(anchor, positive) - row_distance(anchor, negative) + margin).mean()


def margin_contrastive_loss(x1, x2, y, margin):
    """Hadsell, Chopra & LeCun 2006 (Eq. 4) with y = 0 similar, y = 1 dissimilar: mean over pairs of
    (1 - y) d^2 / 2 + y max(0, m - d)^2 / 2."""
    d = row_distance(x1, x2)
    return ((1 - y) * 0.5 * d**2 + y * 0.5 * F.relu(margin - d) ** 2).mean()


@torch.no_grad()
def semi_hard_choice(anchors, positives, rows):
    """FaceNet semi-hard mining (Sec. 3.2), TensorFlow Addons' rule as in the workbench. anchors
    [n, D] are rows 'rows' of the global batch, positives [N, D] the global batch's positives. For
    anchor i: the closest p_j (j != i) farther than p_i, else the farthest p_j. Returns [n] indices."""
    d2 = F.relu((anchors**2).sum(1, keepdim=True) - 2 * anchors @ positives.t() + (positives**2).sum(1).view(1, -1))
    own = F.one_hot(rows, positives.shape[0]).bool()
    positive = d2.gather(1, rows.view(-1, 1))
    outside = ~own & (d2 > positive)
    closest = torch.where(outside, d2, torch.full_like(d2, float("inf"))).argmin(1)
    farthest = torch.where(own, torch.full_like(d2, float("-inf")), d2).argmax(1)
    return torch.where(outside.any(1), closest, farthest)


def negative_cosine_similarity(p, z):
    """BYOL / SimSiam prediction loss (Grill et al. 2020, https://arxiv.org/abs/2006.07733; Chen & He
    2021, https://arxiv.org/abs/2011.10566): mean over rows of -cos(p, z). Per row, so the mean over
    this rank's rows, averaged by DistributedDataParallel, is the global mean. Workbench:
    src/main/ssl/losses/negative-cosine.ts."""
    return -(F.normalize(p, dim=1) * F.normalize(z, dim=1)).sum(dim=1).mean()


def barlow_twins_loss(z1, z2, lambd):
    """Barlow Twins (Zbontar et al. 2021, https://arxiv.org/abs/2103.03230, Eq. 1): features
    normalised over the GLOBAL batch as BatchNorm in training mode ((z - mean) / sqrt(biased var +
    1e-5)), c = z1^T z2 / N, sum (1 - c_ii)^2 + lambda sum_{i != j} c_ij^2 (no division by D).
    Every rank computes the same global value; GatherWithGrad sums the ranks' gradients into each
    rank's rows and DistributedDataParallel averages, which is exactly the single-device gradient.
    Workbench: src/main/ssl/losses/barlow-twins.ts."""
    a, b = gather_with_grad(z1), gather_with_grad(z2)
    norm = lambda z: (z - z.mean(0)) / torch.sqrt(z.var(0, unbiased=False) + 1e-5)
    c = norm(a).t() @ norm(b) / a.shape[0]
    diagonal = torch.diagonal(c)
    off = c - torch.diag_embed(diagonal)
    value = ((1 - diagonal) ** 2).sum() + lambd * (off**2).sum()
    return value


def vicreg_loss(z1, z2, lambd, mu, nu, eps=1e-4):
    """VICReg (Bardes et al. 2022, https://arxiv.org/abs/2105.04906), as its reference code, over
    the GLOBAL batch: lambda MSE + mu (mean ReLU(1 - sqrt(Var + eps)) averaged over the two branches,
    unbiased) + nu (sum of off-diagonal Cov^2 / D summed over branches, unbiased).
    Workbench: src/main/ssl/losses/vicreg.ts."""
    a, b = gather_with_grad(z1), gather_with_grad(z2)
    n, d = a.shape
    invariance = F.mse_loss(a, b)
    std = lambda z: torch.sqrt(z.var(0, unbiased=True) + eps)
    variance = F.relu(1 - std(a)).mean() / 2 + F.relu(1 - std(b)).mean() / 2

    def covariance(z):
        z = z - z.mean(0)
        cov = z.t() @ z / (n - 1)
        return (cov - torch.diag_embed(torch.diagonal(cov))).pow(2).sum() / d

    value = lambd * invariance + mu * variance + nu * (covariance(a) + covariance(b))
    return value


def dino_loss(teacher, student, center, teacher_temp, student_temp):
    """DINO (Caron et al. 2021, https://arxiv.org/abs/2104.14294): cross-entropy of
    softmax((t - center) / tau_t) (no gradient) against log_softmax(s / tau_s), mean over rows and
    over every (teacher view g, student view v != g) pair. Students: the global views first, then
    the local ones. Workbench: src/main/ssl/losses/dino.ts."""
    targets = [F.softmax((t - center) / teacher_temp, dim=1).detach() for t in teacher]
    log_probs = [F.log_softmax(s / student_temp, dim=1) for s in student]
    terms = [-(q * lp).sum(dim=1).mean() for g, q in enumerate(targets) for v, lp in enumerate(log_probs) if v != g]
    return sum(terms) / len(terms)


def dino_teacher_temp(epoch, teacher_temp, warmup_teacher_temp, warmup_epochs):
    """tau_t of the 0-based epoch: the reference DINOLoss.teacher_temp_schedule,
    concat(linspace(warmup, tau_t, W), ones * tau_t)[epoch] -- linear over the first W epochs,
    reaching tau_t at epoch W - 1 (W = 1: epoch 0 uses warmup), tau_t from epoch W on.
    Workbench: src/main/ssl/schedules/teacher-temperature.ts."""
    if epoch >= warmup_epochs:
        return teacher_temp
    if warmup_epochs == 1:
        return warmup_teacher_temp
    if epoch == warmup_epochs - 1:  # numpy's linspace sets its end point exactly
        return teacher_temp
    return epoch * ((teacher_temp - warmup_teacher_temp) / (warmup_epochs - 1)) + warmup_teacher_temp


@torch.no_grad()
def dino_center_update(center, teacher, momentum):
    """center m + (1 - m) mean of the teacher outputs over every teacher view and the GLOBAL batch."""
    rows = torch.cat(teacher)
    total = all_reduce(rows.sum(0).clone())
    count = rows.shape[0] * world_size()
    return center * momentum + (1 - momentum) * total / count
