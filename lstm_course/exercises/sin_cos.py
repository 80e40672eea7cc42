"""Notebook 10's checks: the article's reshape read column by column, and one honest training step.

    10  sequence_indices(n_points, batch, b) -> the time indices sequence b visits
            ``reshape(-1, batch, 1)`` in nn.LSTM's default (seq_len, batch, feature) layout: row
            s holds points s·batch … s·batch + batch − 1, so column b visits b, b + batch, …
            (the article: 100 points, batch 5, sequence b = 2 visits every 5th point from 2)
    10  train_step(model, optimiser, x, y) -> float
            one step of the article's training, in an honest layout: clear the old gradients,
            forward, the MSE loss, backward, one optimiser step; return the loss as a number

The training step is graded on structure that holds on every CPU, never on float32 figures: a
tiny copy of the article's model in float64 and an optimiser the check owns, which records the
gradients it sees when it steps. Before the call the check leaves stale gradients in ``.grad``
(as an earlier ``backward()`` would); the right step clears them, so the optimiser sees exactly
the gradient of this batch's MSE. Each wrong order gives a different picture (stale gradients
added, none at all, the step before the backward, …) and is named; then a few more steps must
make the loss fall. Every check takes ``seed``: 0 the case the notebook describes, any other
seed other sizes and values from ``np.random.default_rng(seed)``. A wrong answer's message names
the misconception and gives a hint; ``show_fix=True`` adds the code.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import torch
from torch import nn

from lstm_course.data import LAYOUTS, sin_cos_data
from lstm_course.exercises.checking import (
    Misconception,
    as_array,
    call_student,
    named,
    recognised,
    require_function,
    run_check,
)
from lstm_course.exercises.feedback import Feedback, correct, mistake
from lstm_course.exercises.forbidding import forbidden
from lstm_course.exercises.predicting import Prediction
from lstm_course.i18n import N_, _
from lstm_course.train import new_model

N_TRAIN = 100
BATCH = 5
SEQUENCE = 2  # the third column: b = 2

MISCONCEPTIONS: dict[str, str | Misconception] = {
    # reading the article's reshape
    "contiguous_run": Misconception(
        N_("A contiguous run of points"),
        N_(
            "the reshape fills each row (one time step) with {batch} consecutive points, so one "
            "sequence (a column) takes every {nth} point."
        ),
        "step = batch  # one sequence takes every batch-th point, not every point",
    ),
    "wrong_start": Misconception(
        N_("The right stride from the wrong start"),
        N_(
            "every {nth} point is right, but sequence b = {b} is column {b}: it starts at index "
            "{b}, not {start}."
        ),
        "start = b  # sequence b is column b of the reshape: it starts at point b",
    ),
    # one training step
    "zero_grad_missing": Misconception(
        N_("The old gradients never cleared"),
        N_(
            "the backward pass *adds* to the gradients already stored, so the optimiser stepped "
            "on this batch's gradient plus whatever an earlier backward pass left there. Clear the "
            "gradients at the start of the step."
        ),
        "optimiser.zero_grad()  # first, before the forward pass",
    ),
    "zero_grad_last": Misconception(
        N_("The gradients cleared at the end, as the article's loop does"),
        N_(
            "your step clears the gradients only after stepping, so its first call adds the "
            "gradients an earlier backward pass left behind. An honest step depends on its own "
            "batch only: clear first, then forward, loss, backward, step."
        ),
        "optimiser.zero_grad()  # first, before the forward pass",
    ),
    "zero_grad_before_step": Misconception(
        N_("The gradients cleared between backward and step"),
        N_(
            "the optimiser found no gradients to use, so it did not move the weights. Clearing "
            "belongs before the forward pass, not between backward and step."
        ),
        "optimiser.zero_grad()  # first, before the forward pass",
    ),
    "backward_missing": Misconception(
        N_("No backward pass"),
        N_(
            "without a backward pass no gradient of this batch's loss is computed, so the "
            "optimiser can only use what was stored before."
        ),
        "loss.backward()  # after the loss, before the step",
    ),
    "step_before_backward": Misconception(
        N_("The optimiser stepped before the backward pass"),
        N_(
            "the step used the gradients stored before this batch's backward pass; the fresh "
            "ones arrived too late. The order is forward, loss, backward, then step."
        ),
        "loss.backward(); optimiser.step()",
    ),
    "step_missing": Misconception(
        N_("The optimiser never stepped"),
        N_(
            "the gradients were computed but the weights did not move: training needs the "
            "optimiser's step once the gradients are in."
        ),
        "optimiser.step()  # once the gradients are in",
    ),
    "own_optimiser": Misconception(
        N_("An optimiser of your own instead of the one passed in"),
        N_(
            "the weights moved, but not through the optimiser the caller gave: step that one. It "
            "keeps its state from step to step (Adam's running averages), which a new optimiser "
            "made inside the step would forget every time."
        ),
        "optimiser.step()  # the optimiser passed in",
    ),
    "stepped_twice": Misconception(
        N_("More than one optimiser step in one training step"),
        N_("one call of train_step is one step: one forward, one backward, one update."),
        "optimiser.step()  # once per call",
    ),
    "mean_absolute_error": Misconception(
        N_("The mean absolute error, as the article's text says, not its code's MSE"),
        N_(
            "the article's text names the mean absolute error, but its code trains with "
            "nn.MSELoss, the mean *squared* error (erratum 2). Use the squared error."
        ),
        "loss = nn.functional.mse_loss(model(x), y)",
    ),
    "summed_loss": Misconception(
        N_("The squared errors summed, not averaged"),
        N_(
            "nn.MSELoss takes the mean over all the points of the batch; a sum makes the gradient "
            "as many times larger as there are points."
        ),
        "loss = nn.functional.mse_loss(model(x), y)",
    ),
    "loss_tensor_returned": Misconception(
        N_("The loss returned as a tensor, not a number"),
        N_(
            "return the loss as a plain Python number: a tensor that requires grad keeps the "
            "whole graph of the step alive in the caller's list of losses, and even a detached "
            "tensor is a tensor, not a number."
        ),
        "return loss.item()",
    ),
    "loss_not_returned": Misconception(
        N_("Not this step's loss returned"),
        N_("return the loss of this step's forward pass (before the update) as a plain number."),
        "return loss.item()",
    ),
}
RECOGNISED: dict[str, tuple[str, ...]] = {
    "check_sequence_indices": ("contiguous_run", "wrong_start"),
    "check_third_sequence": ("contiguous_run", "wrong_start"),
    "check_train_step": (
        "zero_grad_missing",
        "zero_grad_last",
        "zero_grad_before_step",
        "backward_missing",
        "step_before_backward",
        "step_missing",
        "own_optimiser",
        "stepped_twice",
        "mean_absolute_error",
        "summed_loss",
        "loss_tensor_returned",
        "loss_not_returned",
    ),
}
"""Which misconceptions each check names (keys of ``MISCONCEPTIONS``)."""


def recognised_mistakes(check: Callable[..., Feedback] | str) -> list[str]:
    """The misconceptions ``check`` (a check of this module, or its name) recognises, in words."""
    return recognised(check, MISCONCEPTIONS, RECOGNISED)


def _named(key: str, where: str, **values: Any) -> Feedback:
    entry = MISCONCEPTIONS[key]
    hint = _(entry.hint).format(**values) if isinstance(entry, Misconception) else ""
    return named(key, where, hint, MISCONCEPTIONS)


# --- Which points one sequence of the reshape visits ---------------------------------------------


def expected_indices(n_points: int = N_TRAIN, b: int = SEQUENCE, batch: int = BATCH) -> np.ndarray:
    """The time indices that sequence ``b`` of ``reshape(-1, batch, 1)`` visits, in order."""
    if batch == BATCH:
        return LAYOUTS["article"].indices(n_points)[:, b]
    return np.arange(n_points).reshape(-1, batch)[:, b]


class IndexCase(NamedTuple):
    """One hidden test: n_points split by reshape(-1, batch, 1); which does column b visit?"""

    n_points: int
    batch: int
    b: int


def index_cases(seed: int = 0) -> list[IndexCase]:
    """seed 0: the article's 100 training points, batch 5 — its third sequence (b = 2), then
    its first and last. Any other seed: three cases with other batches and lengths."""
    if seed == 0:
        return [IndexCase(N_TRAIN, BATCH, b) for b in (SEQUENCE, 0, BATCH - 1)]
    rng = np.random.default_rng(seed)
    cases = []
    for _k in range(3):
        batch = int(rng.integers(2, 9))
        cases.append(
            IndexCase(batch * int(rng.integers(4, 15)), batch, int(rng.integers(1, batch)))
        )
    return cases


def _judge_indices(answer: Any, case: IndexCase, where: str) -> Feedback | None:
    """None if ``answer`` is the time indices column ``case.b`` visits; else what is wrong."""
    expected = expected_indices(case.n_points, case.b, case.batch)
    try:
        answer = np.asarray(answer)
    except (TypeError, ValueError):
        return mistake(
            _("Return an array of integers ({where}); got {kind}").format(
                where=where, kind=type(answer).__name__
            )
        )
    if answer.shape != expected.shape:
        return mistake(
            _(
                "The answer has shape {answer_shape}; expected {expected_shape} ({where}): one "
                "index per time step, and the reshape makes {expected_size} steps of {batch} "
                "sequences"
            ).format(
                answer_shape=answer.shape,
                expected_shape=expected.shape,
                where=where,
                expected_size=expected.size,
                batch=case.batch,
            )
        )
    if np.array_equal(answer, expected):
        return None
    steps = np.diff(answer)
    if expected.size > 1 and np.all(steps == 1):
        return _named("contiguous_run", where, batch=case.batch, nth=_nth(case.batch))
    if expected.size > 1 and np.all(steps == case.batch):
        return _named("wrong_start", where, nth=_nth(case.batch), b=case.b, start=answer[0])
    wrong = int(np.argmax(answer != expected))
    return mistake(
        _(
            "step {wrong} visits index {expected_wrong}, not {answer_wrong} ({where}): rows "
            "of the reshape are consecutive points"
        ).format(
            wrong=wrong, expected_wrong=expected[wrong], answer_wrong=answer[wrong], where=where
        )
    )


def _nth(n: int) -> str:
    """2 -> "2nd", 5 -> "5th": every n-th point."""
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")
    templates = {"st": _("{n}st"), "nd": _("{n}nd"), "rd": _("{n}rd"), "th": _("{n}th")}
    return templates[suffix].format(n=n)


INDICES_FIX = N_(
    "no code for a mistake the check cannot name: write np.arange(n_points).reshape(-1, batch) "
    "out for 10 points and batch 5 by hand, and read column b from top to bottom."
)
"""A wrong answer that names no misconception gets this pointer with ``show_fix=True``; a named
one gets the one line it gets wrong (its Misconception's ``fix``), never the whole answer."""

INDICES_ANSWERS = {
    "lstm_course.data.Layout.indices": N_("the time indices of every sequence of a layout"),
    "lstm_course.data.to_sequences": N_("a series cut into sequences by a layout"),
    "lstm_course.data.layout_named": N_("one of the package's layouts"),
}
"""The package's layouts, off-limits while check_sequence_indices runs the student's function."""


def check_sequence_indices(
    sequence_indices: Callable[[int, int, int], Any] | None,
    show_fix: bool = False,
    *,
    seed: int = 0,
) -> Feedback:
    """Run ``sequence_indices(n_points, batch, b)`` on ``index_cases(seed)``; expected the time
    indices column b of ``reshape(-1, batch, 1)`` visits, in order."""

    def check() -> Feedback:
        require_function(sequence_indices, "sequence_indices(n_points, batch, b)")
        for case in index_cases(seed):
            where = _("{n_points} points, batch {batch}, sequence b = {b}").format(
                n_points=case.n_points, batch=case.batch, b=case.b
            )
            with forbidden(sequence_indices, INDICES_ANSWERS):
                answer = call_student(sequence_indices, tuple(case), where)
            verdict = _judge_indices(answer, case, where)
            if verdict is not None:
                return verdict
        return correct(
            _(
                "Correct: the time indices of sequence b, for every number of points, batch "
                "and b tried."
            )
        )

    return run_check(check, show_fix, _(INDICES_FIX))


FIX = "third_sequence = np.arange(2, 100, 5)"
"""The article's third sequence, for ``check_third_sequence``."""


def check_third_sequence(answer: object, show_fix: bool = False) -> Feedback:
    """Check an array of the time indices the article's sequence b = 2 visits (a value, not a
    function: the warm-up as it was before it became ``check_sequence_indices``)."""

    def check() -> Feedback:
        if answer is None:
            return mistake(_("No answer yet: set third_sequence to a numpy array of time indices."))
        verdict = _judge_indices(answer, IndexCase(N_TRAIN, BATCH, SEQUENCE), _("sequence b = 2"))
        return verdict or correct(
            _("Every 5th point from 2: the hidden state jumps Δt ≈ 0.95 between steps.")
        )

    return run_check(check, show_fix, FIX)


# --- One honest training step ------------------------------------------------------------------


class RecordingOptimiser:
    """The optimiser the check hands to ``train_step``: plain gradient descent, p ← p − lr·g,
    that records the gradient of every parameter each time it steps (None where .grad is None).

    ``zero_grad`` clears like torch.optim's (to None by default). Written out, not
    ``torch.optim.SGD``: the first torch.optim optimiser of a process imports torch._dynamo.
    """

    def __init__(self, params, lr: float) -> None:
        self.params = list(params)
        self.lr = lr
        self.seen: list[list[torch.Tensor | None]] = []
        self.backward_passes = 0  # gradients accumulated into the first parameter so far
        self.backward_before_step: list[bool] = []
        self.params[0].register_post_accumulate_grad_hook(self._count_backward)

    def _count_backward(self, param: torch.Tensor) -> None:
        self.backward_passes += 1

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.zero_()

    @torch.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> None:
        self.seen.append([None if p.grad is None else p.grad.clone() for p in self.params])
        self.backward_before_step.append(self.backward_passes > 0)
        for p in self.params:
            if p.grad is not None:
                p.add_(p.grad, alpha=-self.lr)


class StepCase(NamedTuple):
    """One hidden test: a float64 copy of the article's model, a batch, a learning rate."""

    name: str
    hidden_size: int
    model_seed: int
    x: torch.Tensor  # (seq_len, batch, 1)
    y: torch.Tensor
    lr: float
    stale_seed: int


def step_cases(seed: int = 0) -> list[StepCase]:
    """seed 0: the article's model size, nn.LSTM(1, 16) + Linear, on its 100 training points in
    its reshape (20, 5, 1). Any other seed: another hidden size, another stretch of the wave,
    another batch and learning rate, from default_rng(seed)."""
    data = sin_cos_data()
    _t, x_train, y_train = data.train
    if seed == 0:
        x = torch.from_numpy(x_train.reshape(-1, 5, 1)).double()
        y = torch.from_numpy(y_train.reshape(-1, 5, 1)).double()
        return [StepCase(N_("the article's model and batch (20, 5, 1)"), 16, 0, x, y, 0.1, 0)]
    rng = np.random.default_rng(seed)
    batch = int(rng.choice([1, 2, 4]))
    steps = int(rng.integers(3, 9))
    start = int(rng.integers(0, len(data.t) - steps * batch))
    points = slice(start, start + steps * batch)
    x = torch.from_numpy(data.x[points].reshape(-1, batch, 1)).double()
    y = torch.from_numpy(data.y[points].reshape(-1, batch, 1)).double()
    H = int(rng.integers(2, 9))
    where = _("a hidden model, H = {H}, batch {shape}").format(H=H, shape=tuple(x.shape))
    return [StepCase(where, H, int(seed), x, y, float(rng.uniform(0.05, 0.2)), int(seed))]


LOSS_STEPS = 8
"""Further steps after the first: the loss must then be lower than at the start."""


def _same(a: list[torch.Tensor | None], b: list[torch.Tensor]) -> bool:
    return all(
        g is not None and torch.allclose(g, r, rtol=1e-7, atol=1e-10)
        for g, r in zip(a, b, strict=True)
    )


def _cleared(grads: list[torch.Tensor | None]) -> bool:
    return all(g is None or not g.any() for g in grads)


def _gradients(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss: str) -> list[torch.Tensor]:
    """The gradient of ``loss`` ("mse", "mae" or "sum") of ``model`` on (x, y), leaving .grad
    alone (a copy of the model is differentiated)."""
    twin = copy.deepcopy(model)
    error = twin(x) - y
    value = {"mse": error.pow(2).mean(), "mae": error.abs().mean(), "sum": error.pow(2).sum()}
    return list(torch.autograd.grad(value[loss], list(twin.parameters())))


def _quietly(train_step: Callable[..., Any], args: tuple, where: str) -> Any:
    """The student's step, its warnings silenced: a right step that calls float(loss) on a
    tensor that requires grad makes torch warn, and a graded cell that writes to stderr
    scores 0 in nbgrader."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call_student(train_step, args, where)


def _judge_step(train_step: Callable[..., Any], case: StepCase) -> Feedback | None:
    """None if one call of ``train_step`` is an honest step on ``case``; else what is wrong."""
    where = _("on {name}").format(name=_(case.name))
    model = new_model(case.hidden_size, case.model_seed).double()
    params = list(model.parameters())
    with torch.no_grad():
        loss_before = float(((model(case.x) - case.y) ** 2).mean())
    right = _gradients(model, case.x, case.y, "mse")
    generator = torch.Generator().manual_seed(case.stale_seed)
    stale = [0.5 * torch.randn(p.shape, generator=generator, dtype=p.dtype) for p in params]
    for p, g in zip(params, stale, strict=True):  # as an earlier backward() would leave them
        p.grad = g.clone()
    optimiser = RecordingOptimiser(params, case.lr)
    weights_before = [p.detach().clone() for p in params]
    result = _quietly(train_step, (model, optimiser, case.x, case.y), where)
    after = [p.grad for p in params]

    plus_stale = [r + s for r, s in zip(right, stale, strict=True)]
    if optimiser.backward_passes == 0:
        return _named("backward_missing", where)
    if not optimiser.seen:
        moved = any(not torch.equal(p, w) for p, w in zip(params, weights_before, strict=True))
        return _named("own_optimiser" if moved else "step_missing", where)
    if len(optimiser.seen) > 1:
        return _named("stepped_twice", where)
    seen = optimiser.seen[0]
    if not optimiser.backward_before_step[0]:
        return _named("step_before_backward", where)
    if _cleared(seen):
        return _named("zero_grad_before_step", where)
    if _same(seen, plus_stale):
        return _named("zero_grad_last" if _cleared(after) else "zero_grad_missing", where)
    for loss, key in (("mae", "mean_absolute_error"), ("sum", "summed_loss")):
        other = _gradients(model_before(case), case.x, case.y, loss)
        if _same(seen, other) or _same(seen, [o + s for o, s in zip(other, stale, strict=True)]):
            return _named(key, where)
    if not _same(seen, right):
        return mistake(
            _(
                "The optimiser stepped on gradients that are not those of this batch's MSE loss "
                "({where}): compute the loss from model(x) and y, clear old gradients first, "
                "then backward."
            ).format(where=where)
        )
    if isinstance(result, (torch.Tensor, np.ndarray)):  # even detached: a number is asked for
        return _named("loss_tensor_returned", where)
    loss = as_array(result, _("the loss"), where)
    if loss.size != 1 or not np.isclose(float(loss.ravel()[0]), loss_before, rtol=1e-6):
        return _named("loss_not_returned", where)
    return _loss_falls(train_step, model, optimiser, case, where)


def model_before(case: StepCase) -> nn.Module:
    """The case's model as it was before the student's step (the same seed, in float64)."""
    return new_model(case.hidden_size, case.model_seed).double()


def _loss_falls(
    train_step: Callable[..., Any],
    model: nn.Module,
    optimiser: RecordingOptimiser,
    case: StepCase,
    where: str,
) -> Feedback | None:
    """None if ``LOSS_STEPS`` more calls bring the loss below where it started."""
    losses = []
    for _k in range(LOSS_STEPS):
        result = _quietly(train_step, (model, optimiser, case.x, case.y), where)
        losses.append(float(as_array(result, _("the loss"), where).ravel()[0]))
    with torch.no_grad():
        first = float(((model_before(case)(case.x) - case.y) ** 2).mean())
        last = float(((model(case.x) - case.y) ** 2).mean())
    if not last < first:
        return mistake(
            _(
                "After {LOSS_STEPS_1} steps the loss did not fall ({where}): {first:.4f} → "
                "{last:.4f}. Each step should move the weights against this batch's gradient."
            ).format(LOSS_STEPS_1=LOSS_STEPS + 1, where=where, first=first, last=last)
        )
    return None


STEP_FIX = ""
"""No whole-step fix: ``show_fix=True`` shows the line of the misconception the check named
(each Misconception's ``fix``); a mistake it cannot name gets a pointer, never the reference."""


def check_train_step(
    train_step: Callable[..., Any] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Call ``train_step(model, optimiser, x, y)`` on ``step_cases(seed)`` with stale gradients
    left in .grad and an optimiser that records what it sees; expected: it stepped once, on
    exactly this batch's MSE gradient, returned the loss, and further steps lower the loss."""

    def check() -> Feedback:
        require_function(train_step, "train_step(model, optimiser, x, y)")
        for case in step_cases(seed):
            verdict = _judge_step(train_step, case)
            if verdict is not None:
                return verdict
        return correct(
            _(
                "Correct: old gradients cleared, one forward pass, the MSE loss, backward, one "
                "step "
                "— and the loss falls over the next steps."
            )
        )

    return run_check(check, show_fix, STEP_FIX)


# --- Predict before you run ----------------------------------------------------------------------

predict_one_step = Prediction(
    question=(
        N_(
            "Cut the series into 100 sequences of one step each (seq_len = 1) and train as long as "
            "you like: which test MSE will the LSTM reach? Answer 1e-4, 1e-2 or 0.5."
        )
    ),
    answer=0.5,
    choices=(1e-4, 1e-2, 0.5),
    wrong={
        1e-4: (
            N_(
                "with seq_len = 1 every prediction starts from a zero state, so the LSTM sees one "
                "sin t and no past: §1 showed that one value of sin t comes with two values of "
                "cos t."
            )
        ),
        1e-2: (
            N_(
                "a rougher fit would need *some* information about which of the two cos t values "
                "is meant; one sin t from a zero state has none."
            )
        ),
    },
)
"""Notebook 10, §3.5: an LSTM without a past does no better than predicting 0."""
