"""L-BFGS with a strong-Wolfe line search: torch.optim.LBFGS's algorithm, cheap per evaluation.

The fast recipe (``lstm_course.train``) finishes with L-BFGS (Nocedal & Wright 2006,
Algorithms 7.4 and 7.5). Its model is small (1,233 numbers): a forward and backward pass
takes under half a millisecond, and ``torch.optim.LBFGS`` spends almost as long again in
Python bookkeeping around it — gathering the gradient from each parameter (``cat``),
adding the step to each parameter in a loop, cloning and restoring the parameters at every
trial point, up to 200 tiny ``dot``/``add_`` calls for the two-loop recursion (once 50 pairs
are stored; the fast recipe's L-BFGS phase of 37–53 evaluations holds fewer), and 0-d tensor
arithmetic in the line search. This module runs the same
algorithm with that bookkeeping removed:

- the parameters and their gradients become views of two flat buffers (``x`` and ``grad``),
  so a trial point x₀ + t·d is one operation and the gradient is already one vector;
- the direction d = −H·g is computed from the compact form of the L-BFGS matrix (Byrd,
  Nocedal & Schnabel 1994, eq. 3.1) with H₀ = γI: with the stored pairs as rows of S and Y,
  R the upper triangle of S·Yᵀ, D its diagonal, u = S·g, v = Y·g and w = R⁻¹u,

      H·g = γ g + Sᵀ R⁻ᵀ((D + γ Y·Yᵀ) w − γ v) − γ Yᵀ w,

  ten operations whatever the history: four products with S or Y, two triangular solves
  of size ≤ 50, and R's new column (one product) when a pair is stored. It is the
  two-loop recursion's result, not an approximation of it: the first loop is
  back-substitution with R (its α = −w), the second forward-substitution with Rᵀ;
- the line search's scalars (loss, directional derivatives, step sizes) are Python floats.

What is the same as ``torch.optim.LBFGS`` (torch 2.x, ``line_search_fn="strong_wolfe"``):
the history rule (a pair (s, y) is stored only if yᵀs > 1e-10, the oldest dropped beyond
``history_size``), γ = sᵀy / yᵀy of the latest stored pair, the first step size
min(1, 1/‖g‖₁)·lr and lr afterwards, the line search (``_strong_wolfe`` and
``_cubic_interpolate``, c₁ = 1e-4, c₂ = 0.9, at most ``max_eval`` evaluations a step), the
stopping tests (``tolerance_grad``, ``tolerance_change``, ``max_iter``, ``max_eval``) and
the state kept between calls of ``step``. Every loss evaluation is a call of the closure,
at the same points in the same order; an exception raised by the closure leaves the
parameters at the point it evaluated. What differs is float rounding only: sums in another
order (matrix-vector products and triangular solves instead of separate dot products),
scalars in float64 where torch keeps 0-d tensors in the parameters' dtype. In float64 the
losses agree with torch's to 1e-10 or better, evaluation for evaluation, on a quadratic,
on the course's LSTM from where the fast recipe hands over to L-BFGS, and on Rosenbrock's
function until its curved valley amplifies rounding (there a one-ulp change of the start
moves torch's own losses as much); the number of evaluations of every step is the same
(``tests/test_lbfgs.py``). In float32 the two drift apart from the rounding level, as two
runs of torch.optim.LBFGS on different CPU kernels do: over a whole training run a stopping
test may then pass one epoch earlier or later (the fast recipe, article layout, seed 2: 82
epochs where torch.optim.LBFGS took 81 on the same machine).

What it does not do: parameter groups, sparse or complex parameters, line_search_fn=None
(the default here is "strong_wolfe"; torch's is None), ``state_dict``, hooks or learning-rate
schedulers. It is not a ``torch.optim.Optimizer``, whose first construction imports
``torch._dynamo`` (about 1.5 s, more than the fast recipe's whole training). And it reads the
gradient from its own buffer, of which every ``p.grad`` is a view: a closure must zero the
gradients with this optimiser's ``zero_grad`` (or ``p.grad.zero_()``), never set them to None
(``model.zero_grad()``'s default) or replace ``p.grad`` or ``p.data``; ``step`` checks this at
each call and raises ValueError, where torch.optim.LBFGS re-reads ``p.grad``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch

Closure = Callable[[], torch.Tensor]


def cubic_interpolate(
    x1: float,
    f1: float,
    g1: float,
    x2: float,
    f2: float,
    g2: float,
    bounds: tuple[float, float] | None = None,
) -> float:
    """The minimiser of the cubic through (x1, f1, f1') and (x2, f2, f2'), kept in bounds.

    torch.optim.lbfgs._cubic_interpolate in Python floats; the midpoint of the bounds if the
    cubic has no minimum.
    """
    if bounds is not None:
        xmin_bound, xmax_bound = bounds
    else:
        xmin_bound, xmax_bound = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square >= 0:
        d2 = math.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


Evaluate = Callable[[float], tuple[float, torch.Tensor]]


def strong_wolfe(
    evaluate: Evaluate,
    t: float,
    d: torch.Tensor,
    f: float,
    g: torch.Tensor,
    gtd: float,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
    d_norm: float | None = None,
) -> tuple[float, torch.Tensor, float, int]:
    """A step t along d meeting the strong Wolfe conditions (Nocedal & Wright, Alg. 3.5-3.6).

    ``evaluate(t)`` returns the loss and the gradient at x + t·d; f, g, gtd are the loss,
    gradient and directional derivative gᵀd at t = 0. Returns (loss, gradient, t, number of
    evaluations) at the step chosen. torch.optim.lbfgs._strong_wolfe, branch for branch,
    with the scalars as Python floats; gradients are never modified in place, so they are
    kept without the clones torch makes.
    """
    if d_norm is None:
        d_norm = d.abs().max().item()
    f_new, g_new = evaluate(t)
    ls_func_evals = 1
    gtd_new = g_new.dot(d).item()

    # bracket an interval containing a point satisfying the Wolfe criteria
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g, gtd
    done = False
    ls_iter = 0
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        # extrapolate: a cubic step between 1.01 t - 0.01 t_prev and 10 t
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        tmp = t
        t = cubic_interpolate(
            t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step)
        )
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new, gtd_new
        f_new, g_new = evaluate(t)
        ls_func_evals += 1
        gtd_new = g_new.dot(d).item()
        ls_iter += 1

    if ls_iter == max_ls:  # no bracket within the budget
        bracket, bracket_f, bracket_g = [0.0, t], [f, f_new], [g, g_new]

    # zoom: shrink the bracket until a point in it meets the conditions
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(
            bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]
        )
        # too close to an end of the bracket (twice, or beyond it): 0.1 of its length inside
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                if abs(t - max(bracket)) < abs(t - min(bracket)):
                    t = max(bracket) - eps
                else:
                    t = min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False

        f_new, g_new = evaluate(t)
        ls_func_evals += 1
        gtd_new = g_new.dot(d).item()
        ls_iter += 1

        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:
            # not enough decrease, or not below the low end: t becomes the high end
            bracket[high_pos], bracket_f[high_pos] = t, f_new
            bracket_g[high_pos], bracket_gtd[high_pos] = g_new, gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True  # the Wolfe conditions hold
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                # the old high end becomes the low end
                bracket[high_pos], bracket_f[high_pos] = bracket[low_pos], bracket_f[low_pos]
                bracket_g[high_pos] = bracket_g[low_pos]
                bracket_gtd[high_pos] = bracket_gtd[low_pos]
            # t becomes the low end
            bracket[low_pos], bracket_f[low_pos] = t, f_new
            bracket_g[low_pos], bracket_gtd[low_pos] = g_new, gtd_new

    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals


class _History:
    """The last ``size`` pairs s = x_{k+1} − x_k, y = g_{k+1} − g_k, oldest first.

    Pair i is ``pairs[i] = (s_i, y_i)``, in rows ``first … first + count − 1`` of a buffer of
    2·size rows: dropping the oldest pair moves the window, and the window is copied back to
    row 0 once every ``size`` pairs. Seen as one (2·count, n) matrix P = [s_0; y_0; s_1; …],
    one product P·g gives every s_i·g and y_i·g. ``SY[i, j] = s_i·y_j`` for i ≤ j: the upper
    triangle R, one new column per pair.
    """

    def __init__(self, size: int, n: int, like: torch.Tensor) -> None:
        self.size = size
        self.first = 0
        self.count = 0
        self.pairs = like.new_zeros(2 * size, 2, n)
        self.SY = like.new_zeros(2 * size, 2 * size)

    def slot(self) -> torch.Tensor:
        """The (2, n) row the next (s, y) is written to (kept only if ``add`` is called)."""
        if self.first + self.count == 2 * self.size:
            old, new = slice(self.first, 2 * self.size), slice(0, self.count)
            self.pairs[new] = self.pairs[old].clone()
            self.SY[new, new] = self.SY[old, old].clone()
            self.first = 0
            self._see_window()
        return self.pairs[self.first + self.count]

    def add(self) -> None:
        """Keep the pair in the slot's row; drop the oldest if there are ``size`` already."""
        if self.count == self.size:
            self.first += 1  # the slot's row stays first + count
            self.count -= 1
        self.count += 1
        self._see_window()
        self.R[:, -1] = torch.mv(self.S, self.Y[-1])  # R's new column: s_i·y_k

    def _see_window(self) -> None:
        """The views of the pairs kept that ``direction`` reads (taken once a change)."""
        window = slice(self.first, self.first + self.count)
        pairs = self.pairs[window]
        self.P = pairs.view(-1, pairs.shape[2])  # (2·count, n): s_0, y_0, s_1, …
        self.S, self.Y = pairs[:, 0], pairs[:, 1]
        self.R = self.SY[window, window]
        self.D = torch.diagonal(self.R)

    def direction(self, g: torch.Tensor, gamma: float) -> torch.Tensor:
        """d = −H·g, H the L-BFGS inverse-Hessian estimate with H₀ = γI (compact form).

        With u = S·g, v = Y·g, w = R⁻¹u, q = Yᵀw and a = R⁻ᵀ(v − D w / γ − Y·q) (the a of
        the module docstring over −γ): d = −γ g + γ Sᵀa + γ q.
        """
        if self.count == 0:
            return g.mul(-gamma)
        S, Y, R = self.S, self.Y, self.R  # noqa: N806 (Byrd, Nocedal & Schnabel's letters)
        uv = torch.mv(self.P, g).view(-1, 2)
        w = torch.linalg.solve_triangular(R, uv[:, 0:1], upper=True)  # u = uv[:, 0]: s_i·g
        q = torch.mv(Y.mT, w.view(-1))
        z = torch.addcmul(uv[:, 1], self.D, w.view(-1), value=-1 / gamma)  # v − Dw/γ
        z = torch.addmv(z, Y, q, alpha=-1)
        a = torch.linalg.solve_triangular(R.mT, z.unsqueeze(1), upper=False)
        return torch.addmv(g, S.mT, a.view(-1), beta=-gamma, alpha=gamma).add_(q, alpha=gamma)


class LBFGS:
    """torch.optim.LBFGS(params, lr, max_iter, max_eval, tolerance_grad, tolerance_change,
    history_size, line_search_fn="strong_wolfe"), the same algorithm cheaper per evaluation
    (see the module docstring).

    From construction until ``release()`` the parameters are views of one flat buffer and
    their ``.grad`` views of another (so ``zero_grad`` zeroes it, and ``backward`` adds
    into it). ``step(closure)``: the closure zeroes the gradients, computes the loss,
    calls backward and returns the loss, as for torch.optim.LBFGS.
    """

    def __init__(
        self,
        params: Sequence[torch.Tensor],
        lr: float = 1.0,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = "strong_wolfe",
    ) -> None:
        if line_search_fn != "strong_wolfe":
            raise ValueError(
                f"only line_search_fn='strong_wolfe' is supported; got {line_search_fn!r}"
            )
        if not lr >= 0:
            raise ValueError(f"lr must be ≥ 0; got {lr}")
        if history_size < 1:
            raise ValueError(f"history_size must be at least 1; got {history_size}")
        self.params = list(params)
        if not self.params:
            raise ValueError("params is empty")
        self.lr = float(lr)
        self.max_iter = max_iter
        self.max_eval = max_iter * 5 // 4 if max_eval is None else max_eval
        self.tolerance_grad = tolerance_grad
        self.tolerance_change = tolerance_change
        self.history_size = history_size

        with torch.no_grad():
            self.x = torch.cat([p.detach().reshape(-1) for p in self.params])
        self.grad = torch.zeros_like(self.x)
        offset = 0
        for p in self.params:
            n = p.numel()
            p.data = self.x[offset : offset + n].view_as(p)
            p.grad = self.grad[offset : offset + n].view_as(p)
            offset += n

        # the state torch.optim.LBFGS keeps between calls of step
        self.func_evals = 0
        self.n_iter = 0
        self.history = _History(history_size, self.x.numel(), self.x)
        self.gamma = 1.0  # H₀ = γI
        self.d: torch.Tensor | None = None
        self.t = 0.0
        self.prev_grad: torch.Tensor | None = None
        self.prev_loss: float | None = None

    def zero_grad(self) -> None:
        """Zero the gradient buffer (the gradients stay its views)."""
        self.grad.zero_()

    def release(self) -> None:
        """Give every parameter and gradient its own memory again (values unchanged)."""
        for p in self.params:
            p.data = p.data.clone()
            if p.grad is not None:
                p.grad = p.grad.clone()

    def _evaluate(self, closure: Closure) -> tuple[float, torch.Tensor]:
        with torch.enable_grad():
            loss = closure().item()
        return loss, self.grad.clone()

    def _check_views(self) -> None:
        """Raise if a parameter or its gradient is no longer a view of the flat buffers."""
        offset = 0
        for i, p in enumerate(self.params):
            size = p.numel() * p.element_size()
            at = self.x.data_ptr() + offset, self.grad.data_ptr() + offset
            if p.data_ptr() != at[0] or p.grad is None or p.grad.data_ptr() != at[1]:
                raise ValueError(
                    f"parameter {i} ({tuple(p.shape)}) or its gradient is no longer a view of "
                    "LBFGS's buffers: zero gradients with LBFGS.zero_grad() or p.grad.zero_(), "
                    "never set them to None, and do not replace p.data or p.grad"
                )
            offset += size

    def step(self, closure: Closure) -> torch.Tensor:
        """Up to ``max_iter`` L-BFGS iterations from the current point; the first loss."""
        x, history = self.x, self.history
        with torch.enable_grad():
            orig_loss = closure()
        self._check_views()
        loss = orig_loss.item()
        g = self.grad.clone()
        current_evals = 1
        self.func_evals += 1
        if g.abs().max().item() <= self.tolerance_grad:
            return orig_loss

        d, t = self.d, self.t
        n_iter = 0
        while n_iter < self.max_iter:
            n_iter += 1
            self.n_iter += 1

            # the direction
            if self.n_iter == 1:
                d = g.neg()
                self.gamma = 1.0
            else:
                pair = history.slot()
                torch.mul(d, t, out=pair[0])  # s = x_{k+1} − x_k
                torch.sub(g, self.prev_grad, out=pair[1])  # y = g_{k+1} − g_k
                ys, yy = torch.mv(pair, pair[1]).tolist()  # s·y, y·y
                if ys > 1e-10:
                    history.add()
                    self.gamma = ys / yy
                d = history.direction(g, self.gamma)
            self.prev_grad = g
            self.prev_loss = loss

            # the step length
            if self.n_iter == 1:
                g_sum = g.abs().sum().item()  # ‖g‖₁ (0 gives 1/0 = inf, as in torch)
                t = min(1.0, 1.0 / g_sum if g_sum else math.inf) * self.lr
            else:
                t = self.lr
            gtd = g.dot(d).item()
            if gtd > -self.tolerance_change:
                break

            x0 = x.clone()
            d_norm = d.abs().max().item()
            at = [0.0]  # the step whose point x holds

            def evaluate(t: float, x0: torch.Tensor = x0, d: torch.Tensor = d, at: list = at):
                torch.add(x0, d, alpha=t, out=x)
                at[0] = t
                return self._evaluate(closure)

            loss, g, t, ls_func_evals = strong_wolfe(
                evaluate, t, d, loss, g, gtd, max_ls=self.max_eval - current_evals, d_norm=d_norm
            )
            if t != at[0]:  # the step chosen is not the last one tried
                torch.add(x0, d, alpha=t, out=x)
            opt_cond = g.abs().max().item() <= self.tolerance_grad
            current_evals += ls_func_evals
            self.func_evals += ls_func_evals

            # the stopping tests
            if n_iter == self.max_iter or current_evals >= self.max_eval or opt_cond:
                break
            if abs(t) * d_norm <= self.tolerance_change:  # = max |t·d_i|, rounded alike
                break
            if abs(loss - self.prev_loss) < self.tolerance_change:
                break

        self.d, self.t = d, t
        return orig_loss
