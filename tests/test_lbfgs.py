"""lstm_course.lbfgs against torch.optim.LBFGS: the same algorithm, to float rounding.

In float64 both are run from the same point with the same options and the same closure; every
loss they evaluate, every iterate and the number of evaluations of every step must agree.
"""

import math
import subprocess
import sys

import numpy as np
import pytest
import torch
from torch.optim.lbfgs import _cubic_interpolate

from lstm_course.data import sin_cos_data
from lstm_course.lbfgs import LBFGS, cubic_interpolate
from lstm_course.train import _tensor, new_model, recipe_config, train

F64 = torch.float64


def _quadratic():
    """½ xᵀAx − bᵀx in 20 dimensions, A's eigenvalues from 1 to 100."""
    generator = torch.Generator().manual_seed(1)
    rotation, _ = torch.linalg.qr(torch.randn(20, 20, generator=generator, dtype=F64))
    hessian = rotation @ torch.diag(torch.logspace(0, 2, 20, dtype=F64)) @ rotation.T
    b = torch.randn(20, generator=generator, dtype=F64)
    return [torch.zeros(20, dtype=F64)], lambda p: 0.5 * p[0] @ hessian @ p[0] - b @ p[0]


def _rosenbrock():
    """(1 − a)² + 100 (b − a²)² from (−1.5, 2), a and b two parameters."""
    start = [torch.tensor(-1.5, dtype=F64), torch.tensor(2.0, dtype=F64)]
    return start, lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def _sin_cos_lstm():
    """The course's loss: the article's LSTM(1, 16) + Linear(16, 1), MSE on its training half,
    from where the fast recipe hands over to L-BFGS (its Adam phase's first loss below 3e-3)."""
    switch = train(recipe_config("fast"), on_epoch=lambda report: report.loss < 3e-3)
    assert switch.stopped and 3e-4 < switch.final_loss < 3e-3
    model = switch.model.double()
    data = sin_cos_data()
    x = _tensor(data.train[1], "article").double()
    y = _tensor(data.train[2], "article").double()
    names = [name for name, _ in model.named_parameters()]

    def loss(params):
        values = dict(zip(names, params, strict=True))
        output = torch.func.functional_call(model, values, (x,))
        return torch.nn.functional.mse_loss(output, y)

    return [p.detach().clone() for p in model.parameters()], loss


PROBLEMS = {"quadratic": _quadratic, "rosenbrock": _rosenbrock, "sin-cos LSTM": _sin_cos_lstm}


def _run(optimizer_class, problem, steps, **options):
    """Every loss evaluated, the evaluations of each step, the iterate after each step."""
    start, f = PROBLEMS[problem]()
    params = [p.clone().requires_grad_() for p in start]
    optimizer = optimizer_class(params, line_search_fn="strong_wolfe", **options)
    losses, evals, iterates = [], [], []

    def closure():
        optimizer.zero_grad()
        loss = f(params)
        loss.backward()
        losses.append(loss.item())
        return loss

    for _ in range(steps):
        before = len(losses)
        optimizer.step(closure)
        evals.append(len(losses) - before)
        iterates.append(torch.cat([p.detach().reshape(-1) for p in params]))
    return losses, evals, iterates, optimizer


CASES = [  # problem, steps, options, how many first losses agree to 1e-10
    ("quadratic", 4, {"history_size": 3}, None),  # a short history drops pairs, reuses rows
    ("quadratic", 3, {"history_size": 50}, None),
    ("rosenbrock", 4, {"history_size": 5}, 25),
    ("rosenbrock", 2, {"history_size": 50, "max_iter": 40}, 25),
    ("sin-cos LSTM", 2, {"history_size": 50, "max_iter": 25, "tolerance_change": 0.0}, None),
]


@pytest.mark.parametrize(("problem", "steps", "options", "close_for"), CASES)
def test_the_same_iterates_and_evaluations_as_torch_optim_lbfgs(problem, steps, options, close_for):
    """Every trial loss to 1e-10 (Rosenbrock: its first 25; then its curved valley amplifies
    rounding: moving the start by one ulp moves torch.optim.LBFGS's own later losses by
    1e-9 to 1e-3), the evaluations of every step, every step's end point to 1e-10."""
    ours = _run(LBFGS, problem, steps, **options)
    torchs = _run(torch.optim.LBFGS, problem, steps, **options)
    assert ours[1] == torchs[1]  # the line search evaluates as often, step by step
    assert sum(ours[1]) > 30  # many iterations, not one
    np.testing.assert_allclose(ours[0][:close_for], torchs[0][:close_for], rtol=1e-10, atol=1e-13)
    for mine, theirs in zip(ours[2], torchs[2], strict=True):
        torch.testing.assert_close(mine, theirs, rtol=1e-10, atol=1e-10)
    state = torchs[3].state[torchs[3]._params[0]]
    optimizer = ours[3]
    assert (optimizer.n_iter, optimizer.func_evals) == (state["n_iter"], state["func_evals"])
    assert optimizer.history.count == len(state["old_dirs"]) <= options["history_size"]


def test_pairs_with_y_s_at_most_1e_10_are_skipped_as_torch_skips_them():
    """Near the minimum of ½ Σ λ_i x_i², yᵀs = Σ λ_i s_i² falls below 1e-10: those pairs are
    not stored (and γ is not updated), by torch.optim.LBFGS and by ours alike."""
    options = {"history_size": 50, "max_iter": 25, "tolerance_grad": 0.0, "tolerance_change": 0.0}
    lambdas = torch.logspace(0, 2, 20, dtype=F64)
    ends, optimizers = [], []
    for optimizer_class in (LBFGS, torch.optim.LBFGS):
        x = torch.full((20,), 1e-4, dtype=F64, requires_grad=True)
        optimizer = optimizer_class([x], line_search_fn="strong_wolfe", **options)

        def closure(optimizer=optimizer, x=x):
            optimizer.zero_grad()
            loss = 0.5 * (lambdas * x**2).sum()
            loss.backward()
            return loss

        optimizer.step(closure)
        ends.append(x.detach().clone())
        optimizers.append(optimizer)
    ours, torchs = optimizers
    state = torchs.state[torchs._params[0]]
    assert ours.n_iter == state["n_iter"] == 25
    assert 0 < ours.history.count == len(state["old_dirs"]) < 24  # some kept, some skipped
    assert ours.gamma == pytest.approx(float(state["H_diag"]), rel=1e-12)
    torch.testing.assert_close(ends[0], ends[1], rtol=1e-10, atol=1e-14)


def test_parameters_are_views_of_one_buffer_until_release():
    model = new_model(16, seed=0)
    before = [p.detach().clone() for p in model.parameters()]
    optimizer = LBFGS(list(model.parameters()))
    assert optimizer.x.numel() == 1233
    start = optimizer.x.data_ptr()
    for p in model.parameters():
        assert p.untyped_storage().data_ptr() == start  # one memory for all
        assert p.grad.untyped_storage().data_ptr() == optimizer.grad.data_ptr()
    optimizer.x += 1.0
    for p, b in zip(model.parameters(), before, strict=True):
        torch.testing.assert_close(p.detach(), b + 1.0)
    optimizer.release()
    optimizer.x += 1.0  # no longer the parameters' memory
    for p, b in zip(model.parameters(), before, strict=True):
        torch.testing.assert_close(p.detach(), b + 1.0)
        assert p.untyped_storage().data_ptr() != start
        assert p.grad.untyped_storage().data_ptr() != optimizer.grad.data_ptr()


@pytest.mark.training
def test_the_trained_model_owns_its_memory():
    """train() releases the L-BFGS buffers: no parameter or gradient of its model is a view."""
    model = train(recipe_config("fast", max_epochs=40, target_loss=0.0)).model  # into L-BFGS
    pointers = {p.untyped_storage().data_ptr() for p in model.parameters()}
    assert len(pointers) == len(list(model.parameters()))
    for p in model.parameters():
        assert p.untyped_storage().nbytes() == p.numel() * p.element_size()
        assert p.grad is None or p.grad.untyped_storage().nbytes() == p.numel() * p.element_size()


@pytest.mark.parametrize("breaks", ["set to None", "replaced", "parameter replaced"])
def test_a_closure_that_breaks_the_views_is_refused(breaks):
    """torch.optim.LBFGS re-reads p.grad; this one reads its buffer, so it must say so."""
    start, f = _rosenbrock()
    params = [p.clone().requires_grad_() for p in start]
    optimizer = LBFGS(params, max_iter=5)

    def closure():
        optimizer.zero_grad()
        loss = f(params)
        loss.backward()
        if breaks == "set to None":
            for p in params:
                p.grad = None
            loss = f(params)
            loss.backward()  # fresh gradients, in new memory
        elif breaks == "replaced":
            params[0].grad = params[0].grad.clone()
        else:
            params[1].data = params[1].data.clone()
        return loss

    with pytest.raises(ValueError, match=r"parameter [01] .* no longer a view of LBFGS's buffers"):
        optimizer.step(closure)


def test_an_exception_in_the_closure_leaves_the_point_it_evaluated():
    start, f = _rosenbrock()
    params = [p.clone().requires_grad_() for p in start]
    optimizer = LBFGS(params, max_iter=50)
    points = []

    class StopError(Exception):
        pass

    def closure():
        points.append([p.item() for p in params])
        if len(points) == 7:
            raise StopError
        optimizer.zero_grad()
        loss = f(params)
        loss.backward()
        return loss

    with pytest.raises(StopError):
        optimizer.step(closure)
    assert [p.item() for p in params] == points[-1] != points[-2]


@pytest.mark.parametrize("seed", range(5))
def test_cubic_interpolate_is_torchs(seed):
    rng = np.random.default_rng(seed)
    for _ in range(200):
        x1, f1, g1, x2, f2, g2 = rng.normal(size=6)
        bounds = (min(x1, x2) - 1, max(x1, x2) + 1) if rng.random() < 0.5 else None
        expected = _cubic_interpolate(*map(torch.tensor, (x1, f1, g1, x2, f2, g2)), bounds)
        assert cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds) == pytest.approx(
            float(expected), rel=1e-12, abs=1e-12
        )


def test_bad_options_raise_naming_them():
    params = [torch.zeros(3, requires_grad=True)]
    with pytest.raises(ValueError, match="line_search_fn"):
        LBFGS(params, line_search_fn=None)
    with pytest.raises(ValueError, match="history_size"):
        LBFGS(params, history_size=0)
    with pytest.raises(ValueError, match="lr"):
        LBFGS(params, lr=-1.0)
    assert math.isclose(LBFGS(params).lr, 1.0)


@pytest.mark.training
def test_training_with_it_does_not_import_torch_dynamo():
    """torch.optim.Optimizer's first construction imports torch._dynamo (about 1.5 s)."""
    code = (
        "import sys\n"
        "from lstm_course.train import recipe_config, train\n"
        "result = train(recipe_config('fast', max_epochs=60))\n"
        "assert result.epochs == 60 and result.losses[-1] < 3e-3, result.losses[-1]\n"
        "print('torch._dynamo' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
