"""A synthetic recall task: the article's "…中国人…说汉语" as a sequence a network must read.

The article's §2.2 contrasts two predictions. "我喜欢妈妈做的菜" needs only the last few
words; "我是一个中国人 … 我最常说汉语" needs a word seen long before. The task below keeps
exactly that and nothing else:

    step      0        1 … gap
    x_t       key      distractors (same vocabulary as the key)
    marker    1        0
    target    the key, to be named after the last step

Each x_t is a one-hot token out of ``n_tokens`` plus one marker bit that flags the key
("中国人": remember this). The last step is ``gap`` steps after the key, so ``gap`` is the
distance k the memory has to bridge. A model that forgot the key can do no better than
guess: chance accuracy is 1 / n_tokens.

``train_recall`` trains a small PyTorch model (a recurrent layer, then a linear read-out of
the last hidden state) on this task and reports its accuracy on held-out sequences.
Everything is seeded; a run takes well under a second on one CPU thread.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from lstm_course.torch_bridge import torch_gate_rows

CELLS = ("rnn", "lstm", "gru")
RECURRENT_INITS = ("pytorch", "orthogonal")
GRU_UPDATE_BLOCK = 1  # nn.GRU stacks its rows r, z, n: the update gate z is the second block


class RecallData(NamedTuple):
    """One batch of recall sequences.

    xs (N, gap + 1, n_tokens + 1): one-hot tokens plus the marker bit, float32.
    tokens (N, gap + 1): the token ids, for printing.
    target (N,): the key, i.e. tokens[:, 0].
    """

    xs: np.ndarray
    tokens: np.ndarray
    target: np.ndarray


@dataclass(frozen=True)
class RecallConfig:
    """The training recipe; every run of one course figure uses the same one.

    hidden_size: H, for every cell. n_tokens: the vocabulary (chance = 1 / n_tokens).
    steps: Adam updates, each on a fresh batch of batch_size sequences (new data every step,
    so nothing can be memorised); lr: Adam's learning rate; clip_norm: the gradient norm is
    clipped to this, as is usual for recurrent nets. n_test: held-out sequences scored at the end.
    forget_bias: the LSTM's initial b_f (PyTorch keeps it in two halves; their sum is set).
    A positive b_f starts the forget gate open, f_t = σ(b_f) ≈ 1 (Gers et al. 2000;
    Jozefowicz et al. 2015). update_bias: the GRU's initial bias of its update gate z, in
    PyTorch's convention h_t = (1 − z)·n + z·h_{t-1}, where a positive bias keeps the old
    state — the GRU's analogue of an open forget gate. None (the default) keeps PyTorch's
    random initialisation; with 3.0 the GRU holds k = 30 like the LSTM (seeds 0–2). The RNN
    has no gate and ignores both. recurrent_init: "pytorch" keeps PyTorch's uniform
    U(±1/√H) recurrent weights (for the RNN ρ(W_hh) ≈ 0.5 at H = 16); "orthogonal" draws
    W_hh orthogonal (every singular value 1, Saxe et al. 2014), a start near ρ = 1 in the
    spirit of Le, Jaitly & Hinton (2015). Applied to every cell's weight_hh.
    """

    hidden_size: int = 16
    n_tokens: int = 4
    steps: int = 192
    batch_size: int = 32
    lr: float = 1e-2
    clip_norm: float = 1.0
    n_test: int = 512
    forget_bias: float = 3.0
    update_bias: float | None = None
    recurrent_init: str = "pytorch"


@dataclass
class RecallResult:
    """What one training run measured.

    accuracy: the fraction of held-out sequences whose key was named, in [0, 1].
    chance: 1 / n_tokens, what guessing scores.
    loss_history: the training cross-entropy of each Adam step (one fresh batch each).
    model: the trained ``RecallModel`` (float32, eval mode).
    config: the recipe it was trained with.
    """

    cell: str
    gap: int
    seed: int
    accuracy: float
    chance: float
    loss_history: list[float]
    model: RecallModel
    config: RecallConfig


def _positive_int(name: str, value: int, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer ≥ {minimum}; got {value!r}")
    return int(value)


def make_recall_data(
    n_samples: int, gap: int, n_tokens: int, rng: np.random.Generator
) -> RecallData:
    """``n_samples`` recall sequences whose key lies ``gap`` steps before the last step.

    Each sequence has T = gap + 1 steps: the key (marker bit 1), then ``gap`` distractors
    drawn from the same ``n_tokens`` tokens (marker bit 0). Returns a ``RecallData`` with
    xs (n_samples, T, n_tokens + 1), tokens (n_samples, T) and target (n_samples,).
    """
    n_samples = _positive_int("n_samples", n_samples)
    gap = _positive_int("gap", gap)
    n_tokens = _positive_int("n_tokens", n_tokens, minimum=2)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy Generator; got {type(rng).__name__}")
    steps = gap + 1
    tokens = rng.integers(0, n_tokens, size=(n_samples, steps))
    xs = np.zeros((n_samples, steps, n_tokens + 1), dtype=np.float32)
    np.put_along_axis(xs, tokens[:, :, None], 1.0, axis=2)
    xs[:, 0, n_tokens] = 1.0  # the marker: "remember this one"
    return RecallData(xs=xs, tokens=tokens, target=tokens[:, 0].copy())


class RecallModel(nn.Module):
    """A recurrent layer (nn.RNN, nn.LSTM or nn.GRU) and a linear read-out of h_T.

    Input (N, T, n_tokens + 1), batch first; output (N, n_tokens) logits, one per token.
    """

    def __init__(self, cell: str, n_tokens: int, hidden_size: int) -> None:
        super().__init__()
        layer = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.cell = cell
        self.recurrent = layer(n_tokens + 1, hidden_size, batch_first=True)
        self.readout = nn.Linear(hidden_size, n_tokens)

    def forward(self, xs: torch.Tensor) -> torch.Tensor:
        hs, _ = self.recurrent(xs)
        return self.readout(hs[:, -1])


def _set_gate_bias(model: RecallModel, bias: float) -> None:
    """Set the summed bias bias_ih + bias_hh of the LSTM's forget gate f, or of the GRU's
    update gate z, to ``bias`` (half in each, as PyTorch keeps two biases a gate)."""
    H = model.recurrent.hidden_size
    if model.cell == "lstm":
        rows = torch_gate_rows("f", H)
    else:
        rows = slice(GRU_UPDATE_BLOCK * H, (GRU_UPDATE_BLOCK + 1) * H)
    with torch.no_grad():
        model.recurrent.bias_ih_l0[rows] = bias / 2
        model.recurrent.bias_hh_l0[rows] = bias / 2


class Adam:
    """Adam (Kingma & Ba 2015) with PyTorch's defaults, written out: for every parameter p with
    gradient g, at step n,

        m ← β₁·m + (1 − β₁)·g                  v ← β₂·v + (1 − β₂)·g ⊙ g
        p ← p − lr / (1 − β₁ⁿ) · m / (√v / √(1 − β₂ⁿ) + ε)

    in exactly the operations and order of ``torch.optim.Adam``'s CPU update (no weight decay,
    no AMSGrad), each applied to every parameter at once as its ``foreach`` path does (on the
    CPU that loops over the same kernels as its single-tensor path), so a run gives bit-for-bit
    the same numbers. Why not ``torch.optim.Adam`` itself: the first ``torch.optim`` optimiser
    of a Python process imports ``torch._dynamo`` (about 1.5 s of CPU time), more than training
    one of these models takes. ``fused=True`` is ``torch.optim.Adam(fused=True)``: the same
    single kernel (``torch._fused_adam_``) on the same state, so again the same numbers.
    """

    def __init__(
        self,
        params,
        lr: float,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        fused: bool = False,
    ) -> None:
        self.params = [p for p in params if p.requires_grad]
        self.lr, (self.beta1, self.beta2), self.eps = lr, betas, eps
        self.fused = fused
        self.step_count = 0
        self.exp_avg = [torch.zeros_like(p) for p in self.params]  # m
        self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]  # v
        self.state_steps = [torch.tensor(0.0) for _ in self.params]  # the fused kernel's n

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        self.step_count += 1
        n = float(self.step_count)
        step_size = self.lr / (1 - self.beta1**n)
        bias_correction2_sqrt = (1 - self.beta2**n) ** 0.5
        live = [i for i, p in enumerate(self.params) if p.grad is not None]
        params = [self.params[i] for i in live]
        grads = [p.grad for p in params]
        m = [self.exp_avg[i] for i in live]
        v = [self.exp_avg_sq[i] for i in live]
        if self.fused:
            steps = [self.state_steps[i] for i in live]
            torch._foreach_add_(steps, 1)
            torch._fused_adam_(
                params, grads, m, v, [], steps, amsgrad=False, lr=self.lr, beta1=self.beta1,
                beta2=self.beta2, weight_decay=0.0, eps=self.eps, maximize=False,
            )  # fmt: skip
            return
        torch._foreach_lerp_(m, grads, 1 - self.beta1)
        torch._foreach_mul_(v, self.beta2)
        torch._foreach_addcmul_(v, grads, grads, value=1 - self.beta2)
        denom = torch._foreach_sqrt(v)
        torch._foreach_div_(denom, bias_correction2_sqrt)
        torch._foreach_add_(denom, self.eps)
        torch._foreach_addcdiv_(params, m, denom, value=-step_size)


@torch.no_grad()
def clip_grad_norm_(params: list[torch.Tensor], max_norm: float) -> None:
    """Scale the gradients so that their joint norm is at most ``max_norm``:
    g ← g · min(1, max_norm / (‖g‖ + 1e-6)), ‖g‖ the norm of all gradients as one vector.

    ``torch.nn.utils.clip_grad_norm_``'s CPU arithmetic in the same operations (bit-for-bit
    the same gradients), without its general-purpose grouping by device and dtype, which
    costs more than the arithmetic for models this small.
    """
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return
    total_norm = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads, 2.0)), 2.0)
    torch._foreach_mul_(grads, torch.clamp(max_norm / (total_norm + 1e-6), max=1.0))


def _accuracy(model: RecallModel, data: RecallData) -> float:
    with torch.no_grad():
        predicted = model(torch.from_numpy(data.xs)).argmax(dim=1).numpy()
    return float(np.mean(predicted == data.target))


def _config(config: dict[str, object]) -> RecallConfig:
    known = {f.name for f in fields(RecallConfig)}
    if set(config) - known:
        raise ValueError(f"unknown config {sorted(set(config) - known)}; known: {sorted(known)}")
    cfg = RecallConfig(**config)  # type: ignore[arg-type]
    if cfg.recurrent_init not in RECURRENT_INITS:
        raise ValueError(
            f"recurrent_init must be one of {RECURRENT_INITS}; got {cfg.recurrent_init!r}"
        )
    return cfg


def _initial_model(cell: str, seed: int, cfg: RecallConfig) -> RecallModel:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = RecallModel(cell, cfg.n_tokens, cfg.hidden_size)
        if cfg.recurrent_init == "orthogonal":
            nn.init.orthogonal_(model.recurrent.weight_hh_l0)
    if cell == "lstm":
        _set_gate_bias(model, cfg.forget_bias)
    if cell == "gru" and cfg.update_bias is not None:
        _set_gate_bias(model, cfg.update_bias)
    return model


def initial_model(cell: str, seed: int, **config: object) -> RecallModel:
    """The untrained model ``train_recall(cell, gap, seed, **config)`` starts from.

    For looking at an initialisation, e.g. the RNN's recurrent weights
    ``initial_model("rnn", 0).recurrent.weight_hh_l0`` (H, H). The global torch RNG is left
    as it was.
    """
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {CELLS}; got {cell!r}")
    return _initial_model(cell, seed, _config(config))


def train_recall(cell: str, gap: int, seed: int, **config: object) -> RecallResult:
    """Train a fresh ``cell`` model ("rnn", "lstm" or "gru") on recall at distance ``gap``.

    ``config`` overrides fields of ``RecallConfig`` (hidden_size, n_tokens, steps,
    batch_size, lr, clip_norm, n_test, forget_bias, update_bias). ``seed`` fixes the
    held-out set, every training batch and the initial weights (the global torch generator
    is left as it was).
    Uses the caller's torch thread setting; ``torch.set_num_threads(1)`` suits these tiny
    models. Prints nothing: the caller reads ``loss_history``.

    The model reads xs (N, gap + 1, n_tokens + 1) and is scored on ``n_test`` held-out
    sequences: accuracy = mean(argmax logits == key).
    """
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {CELLS}; got {cell!r}")
    gap = _positive_int("gap", gap)
    cfg = _config(config)
    rng = np.random.default_rng(seed)
    test = make_recall_data(cfg.n_test, gap, cfg.n_tokens, rng)

    model = _initial_model(cell, seed, cfg)
    parameters = list(model.parameters())
    optimiser = Adam(parameters, lr=cfg.lr)  # = torch.optim.Adam, bit for bit
    loss_fn = nn.CrossEntropyLoss()

    loss_history = []
    for _ in range(cfg.steps):
        batch = make_recall_data(cfg.batch_size, gap, cfg.n_tokens, rng)
        optimiser.zero_grad()
        loss = loss_fn(model(torch.from_numpy(batch.xs)), torch.from_numpy(batch.target))
        loss.backward()
        clip_grad_norm_(parameters, cfg.clip_norm)  # = nn.utils.clip_grad_norm_, bit for bit
        optimiser.step()
        loss_history.append(loss.item())
    model.eval()
    return RecallResult(
        cell=cell,
        gap=gap,
        seed=seed,
        accuracy=_accuracy(model, test),
        chance=1.0 / cfg.n_tokens,
        loss_history=loss_history,
        model=model,
        config=cfg,
    )
