#!/usr/bin/python3
"""Reference values for Visage's loss tests (Tests/VisageTests/Losses), computed in float64 with PyTorch.

Written from the papers' formulas, not from the Swift code: ArcFace's target through acos, CurricularFace's
modulation as in its paper, DDL as described in /work/shared/papers/README.md, bridge distillation's Eq. 3
and 6. Run with the Debian Python that has torch: /usr/bin/python3 scripts/loss_references.py
"""
import math
import torch

torch.set_default_dtype(torch.float64)

WEIGHT = [[2.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.6, 0.8, 0.0], [-1.0, 0.1, 0.0]]
EMBEDDINGS = [[0.9, 0.3, 0.1], [-0.95, 0.2, 0.1], [0.2, 0.1, 1.0], [0.5, 0.5, 0.2]]
LABELS = [0, 0, 2, 4]
BIAS = [0.1, -0.2, 0.0, 0.3, -0.1]


def fmt(t):
    return "[" + ", ".join(f"{v:.9g}" for v in t.detach().reshape(-1).tolist()) + "]"


def margin_target(kind, cos, m):
    if kind == "cosface":
        return cos - m
    theta = torch.acos(cos)
    # Beyond θ + m > π the target continues linearly: cos θ − m·sin m (insightface's convention).
    return torch.where(theta + m <= math.pi, torch.cos(theta + m), cos - m * math.sin(m))


def margin_logits(kind, x, w, labels, s, m, t):
    cos = (x / x.norm(dim=1, keepdim=True)) @ (w / w.norm(dim=1, keepdim=True)).T
    rows = torch.arange(len(labels))
    target = cos[rows, labels]
    final = margin_target(kind, target, m)
    out = cos.clone()
    if kind == "curricularface":
        t = 0.99 * t + 0.01 * target.detach().mean()
        hard = cos > final.view(-1, 1)
        out = torch.where(hard, cos * (t + cos), cos)
    out = out.clone()
    out[rows, labels] = final
    return out * s, t


def head_case(kind, s, m, steps):
    x = torch.tensor(EMBEDDINGS, requires_grad=True)
    w = torch.tensor(WEIGHT, requires_grad=True)
    labels = torch.tensor(LABELS)
    t = torch.zeros(1)
    for _ in range(steps):
        logits, t = margin_logits(kind, x, w, labels, s, m, t)
    loss = torch.nn.functional.cross_entropy(logits, labels)
    loss.backward()
    print(f"// {kind} s={s} m={m} after {steps} call(s)")
    with torch.no_grad():
        print("plainLogits:", fmt(s * (x / x.norm(dim=1, keepdim=True)) @ (w / w.norm(dim=1, keepdim=True)).T))
    print("logits:", fmt(logits))
    print("loss:", f"{loss.item():.9g}")
    print("gradEmbeddings:", fmt(x.grad))
    print("gradWeight:", fmt(w.grad))
    if kind == "curricularface":
        print("t:", fmt(t))


def softmax_case():
    x = torch.tensor(EMBEDDINGS, requires_grad=True)
    w = torch.tensor(WEIGHT, requires_grad=True)
    b = torch.tensor(BIAS, requires_grad=True)
    labels = torch.tensor(LABELS)
    logits = x @ w.T + b
    loss = torch.nn.functional.cross_entropy(logits, labels)
    loss.backward()
    print("// softmax")
    print("logits:", fmt(logits))
    print("loss:", f"{loss.item():.9g}")
    print("gradEmbeddings:", fmt(x.grad))
    print("gradWeight:", fmt(w.grad))
    print("gradBias:", fmt(b.grad))


# DDL: easy (teacher) and hard (student) streams.
DDL_EASY = [[1.0, 0.2, 0.0, 0.1], [0.9, 0.3, 0.1, 0.0], [0.0, 1.0, 0.2, 0.1],
            [0.1, 0.8, 0.0, 0.3], [0.2, 0.1, 1.0, 0.0], [0.0, 0.3, 0.9, 0.2]]
DDL_HARD = [[0.7, 0.5, 0.2, 0.3], [0.5, 0.4, 0.3, 0.1], [0.3, 0.9, 0.4, 0.1],
            [0.4, 0.6, 0.1, 0.5], [0.3, 0.4, 0.8, 0.3], [0.2, 0.5, 0.6, 0.5]]
DDL_LABELS = [0, 0, 1, 1, 2, 2]


def histogram(values, bins, width):
    centres = torch.linspace(-1, 1, bins)
    density = torch.exp(-0.5 * ((values[:, None] - centres[None, :]) / width) ** 2).sum(0)
    return density / density.sum()


def kl(p, q):
    p = p + 1e-9
    return (p * (torch.log(p) - torch.log(q + 1e-9))).sum()


def stream(x, labels):
    x = x / x.norm(dim=1, keepdim=True)
    n = len(labels)
    sim = x @ x.T
    positives = [sim[i, j] for i in range(n) for j in range(i + 1, n) if labels[i] == labels[j]]
    negatives = []
    for i in range(n):
        others = [sim[i, j] for j in range(n) if labels[j] != labels[i]]
        if others:
            negatives.append(torch.stack(others).max())
    stack = lambda v: torch.stack(v) if v else None
    return stack(positives), stack(negatives)


def ddl(easy, easy_labels, hard, hard_labels, bins=201, width=0.1, lp=0.1, ln=0.02, lo=0.5):
    p_pos, p_neg = stream(easy.detach(), easy_labels)
    q_pos, q_neg = stream(hard, hard_labels)
    zero = torch.zeros(())
    pos_kl = kl(histogram(p_pos, bins, width), histogram(q_pos, bins, width)) if p_pos is not None and q_pos is not None else zero
    neg_kl = kl(histogram(p_neg, bins, width), histogram(q_neg, bins, width)) if p_neg is not None and q_neg is not None else zero
    order = zero
    for pos in (p_pos, q_pos):
        for neg in (p_neg, q_neg):
            if pos is not None and neg is not None:
                order = order + neg.mean() - pos.mean()
    return lp * pos_kl + ln * neg_kl + lo * order, pos_kl, neg_kl, order


def ddl_case(bins, hard_labels=DDL_LABELS):
    easy = torch.tensor(DDL_EASY, requires_grad=True)
    hard = torch.tensor(DDL_HARD, requires_grad=True)
    total, pos_kl, neg_kl, order = ddl(easy, DDL_LABELS, hard, hard_labels, bins=bins)
    total.backward()
    print(f"// DDL bins={bins} hard labels {hard_labels}")
    print("total, positiveKL, negativeKL, order:", fmt(torch.stack([total, pos_kl, neg_kl, order])))
    print("gradHard:", fmt(hard.grad))


def ddl_bin_resolution():
    """How much the KL terms move between 201 and 2001 bins, on random similarity sets."""
    generator = torch.Generator().manual_seed(0)
    worst = 0.0
    for _ in range(20):
        p = torch.rand(64, generator=generator) * 0.6 + 0.3
        q = torch.rand(64, generator=generator) * 0.8 + 0.0
        coarse = kl(histogram(p, 201, 0.1), histogram(q, 201, 0.1))
        fine = kl(histogram(p, 2001, 0.1), histogram(q, 2001, 0.1))
        worst = max(worst, abs(coarse - fine).item() / fine.item())
    print(f"// DDL: largest relative KL difference, 201 vs 2001 bins, 20 random sets: {worst:.3g}")


def kd_case():
    student = torch.tensor([[1.0, 2.0, 0.5, -1.0], [0.3, -0.2, 2.5, 0.0], [-1.0, 0.0, 0.4, 1.2]], requires_grad=True)
    teacher = torch.tensor([[3.0, 5.0, 1.0, -2.0], [0.0, 1.0, 6.0, 2.0], [-2.0, 1.0, 0.5, 4.0]])
    temperature = 4.0
    soft = torch.softmax(teacher / temperature, dim=1)
    loss = -(soft * torch.log_softmax(student, dim=1)).sum(1).mean()
    loss.backward()
    print(f"// KD T={temperature}")
    print("loss:", f"{loss.item():.9g}")
    print("gradStudent:", fmt(student.grad))


def regression_case():
    student = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]], requires_grad=True)
    adapted = torch.tensor([[0.0, -0.5, 1.0], [1.0, 1.0, 0.5]])
    loss = ((student - adapted) ** 2).sum(1).mean()
    loss.backward()
    print("// feature regression")
    print("loss:", f"{loss.item():.9g}")
    print("gradStudent:", fmt(student.grad))


if __name__ == "__main__":
    softmax_case()
    for kind, m in (("cosface", 0.4), ("arcface", 0.5)):
        head_case(kind, 8.0, m, 1)
    head_case("curricularface", 8.0, 0.5, 1)
    head_case("curricularface", 8.0, 0.5, 2)
    ddl_case(201)
    ddl_case(51)
    ddl_case(201, hard_labels=[0, 1, 2, 3, 4, 5])
    ddl_bin_resolution()
    kd_case()
    regression_case()
