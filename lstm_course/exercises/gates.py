"""The checks for notebooks 06–08: the student writes the LSTM's equations one at a time.

    06  compute_f_t(h_prev, x_t, W_f, b_f) -> f_t
            f_t = σ(W_f·[h_{t-1}, x_t] + b_f)
    07  compute_i_t_and_C_tilde(h_prev, x_t, W_i, b_i, W_C, b_C) -> (i_t, C_tilde)
            i_t = σ(W_i·[h_{t-1}, x_t] + b_i),  C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)
    07  compute_C_t(f_t, C_prev, i_t, C_tilde) -> C_t
            C_t = f_t * C_{t-1} + i_t * C̃_t
    08  compute_o_t_and_h_t(h_prev, x_t, C_t, W_o, b_o) -> (o_t, h_t)
            o_t = σ(W_o·[h_{t-1}, x_t] + b_o),  h_t = o_t * tanh(C_t)
    08  article_weights(cell: nn.LSTMCell) -> LSTMParams
            PyTorch's stacked rows i, f, g, o -> the article's W_f, b_f, W_i, …, b_o

Each check runs the student's function on seeded cases — ``seed=0`` (the default) the case the
notebook describes, the article's h_{t-1}, x_t with random weights; any other seed hidden cases
with other sizes (H ≠ D) and other values, for the graded cells' hidden tests — compares with
the package, and when the answer is wrong recomputes the equation with each known mistake to
name the one the student made. A wrong answer's message starts with the misconception's name
from ``MISCONCEPTIONS``; ``RECOGNISED[check name]`` lists the ones each check can name.
Calling the student's code, turning errors into sentences and the two levels of feedback (a
hint; the fix with ``show_fix=True``) are ``exercises.checking``'s.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, NamedTuple

import numpy as np

from lstm_course import worked_example
from lstm_course.activations import relu, sigmoid, tanh
from lstm_course.exercises import checking
from lstm_course.exercises.checking import (
    CheckEndedError,
    ErrorHints,
    as_array,
    call_student,
    check_cases,
    close,
    two_results,
)
from lstm_course.exercises.feedback import Feedback, mistake
from lstm_course.exercises.forbidding import forbidden
from lstm_course.exercises.predicting import Prediction
from lstm_course.i18n import N_, _
from lstm_course.lstm import (
    LSTMParams,
    candidate,
    forget_gate,
    hidden_state,
    input_gate,
    output_gate,
    update_cell,
)

TOLERANCE = 1e-6

MISCONCEPTIONS: dict[str, str] = {
    # a gate or the candidate, σ(W·[h_{t-1}, x_t] + b) or tanh(W·[h_{t-1}, x_t] + b)
    "sigma_function": N_("The σ function applied instead of the sigmoid layer"),
    "tanh_function": N_("The tanh function applied instead of the tanh layer"),
    "elementwise_product": N_("W times [h_{t-1}, x_t] value by value instead of a matrix product"),
    "concat_order": N_("[x_t, h_{t-1}] concatenated in the wrong order"),
    "tanh_for_sigma": N_("tanh where σ belongs"),
    "sigma_for_tanh": N_("σ where tanh belongs"),
    "relu": N_("ReLU instead of the article's activation"),
    "no_activation": N_("The activation left out"),
    "bias_missing": N_("The bias left out"),
    "bias_outside": N_("The bias added after the activation"),
    "forget_gate_inverted": N_("1 − σ(…): f_t = 1 read as 'forget everything'"),
    "weights_swapped": N_("The other layer's weights used"),
    "outputs_swapped": N_("The two results returned in the wrong order"),
    # the cell update, C_t = f_t * C_{t-1} + i_t * C̃_t
    "forget_gate_missing": N_("The forget gate left out of the cell update"),
    "input_gate_missing": N_("The input gate left out of the cell update"),
    "new_information_missing": N_("The new information i_t ⊙ C̃_t left out"),
    "discarded_part_kept": N_(
        "The discarded part (1 − f_t) ⊙ C_{t-1} kept instead of f_t ⊙ C_{t-1}"
    ),
    "gates_swapped": N_("f_t and i_t swapped in the cell update"),
    "product_for_sum": N_("The two parts multiplied instead of added"),
    "tanh_on_cell_state": N_("tanh applied to the cell state"),
    "coupled_update": N_("The coupled variant's update instead of the input gate"),
    "dot_product": N_("A dot product instead of a pointwise product"),
    # the output, h_t = o_t * tanh(C_t)
    "h_without_tanh": N_("h_t without the tanh on C_t"),
    "sigma_on_cell_state": N_("σ on C_t where tanh belongs"),
    "tanh_after_product": N_("tanh applied after multiplying by o_t"),
    "output_gate_missing": N_("The output gate left out of h_t"),
    # reading nn.LSTMCell's weights
    "torch_rows": N_("Gate rows swapped when reading PyTorch's weights"),
    "torch_columns": N_("weight_ih and weight_hh joined in the wrong order"),
    "torch_bias": N_("One of PyTorch's two biases left out"),
    "torch_bias_rows": N_("Bias rows swapped when reading PyTorch's biases"),
}

_GATE_MISTAKES = (
    "elementwise_product",
    "concat_order",
    "relu",
    "no_activation",
    "bias_missing",
    "bias_outside",
)
RECOGNISED: dict[str, tuple[str, ...]] = {
    "check_forget_gate": (
        "sigma_function",
        "tanh_for_sigma",
        *_GATE_MISTAKES,
        "forget_gate_inverted",
    ),
    "check_input_gate_and_candidate": (
        "sigma_function",
        "tanh_function",
        "tanh_for_sigma",
        "sigma_for_tanh",
        *_GATE_MISTAKES,
        "weights_swapped",
        "outputs_swapped",
    ),
    "check_cell_update": (
        "forget_gate_missing",
        "input_gate_missing",
        "new_information_missing",
        "discarded_part_kept",
        "gates_swapped",
        "product_for_sum",
        "tanh_on_cell_state",
        "coupled_update",
        "dot_product",
    ),
    "check_output_gate_and_hidden_state": (
        "sigma_function",
        "tanh_for_sigma",
        *_GATE_MISTAKES,
        "h_without_tanh",
        "sigma_on_cell_state",
        "tanh_after_product",
        "output_gate_missing",
        "outputs_swapped",
    ),
    "check_article_weights": ("torch_rows", "torch_columns", "torch_bias", "torch_bias_rows"),
}
"""Which misconceptions each check names (keys of ``MISCONCEPTIONS``)."""

POINTER = N_(
    "no code for a mistake the check cannot name: compute one unit by hand — row 1 of the "
    "weights times [h_{t-1}, x_t], plus the bias, then the activation — and compare it with "
    "your first value."
)
FIXES: dict[str, str] = {
    "check_forget_gate": POINTER,
    "check_input_gate_and_candidate": POINTER,
    "check_cell_update": N_(
        "no code for a mistake the check cannot name: compute unit 1 by hand, "
        "f_t[0]·C_{t-1}[0] + i_t[0]·C̃_t[0], and compare it with your first value."
    ),
    "check_output_gate_and_hidden_state": POINTER,
    "check_article_weights": N_(
        "no code for a mistake the check cannot name: print your W_f's shape and its first "
        "row, and find that row in weight_hh and weight_ih."
    ),
}
"""What ``show_fix=True`` adds when no misconception is named: a pointer in words, never code.
A named misconception carries the line of code it gets wrong (``MISCONCEPTION_FIXES``)."""

MISCONCEPTION_FIXES: dict[str, str] = {
    # a layer: {s} the symbol, {a} sigmoid or tanh, {W} and {b} its weights
    "sigma_function": "{s} = {a}({W} @ hx + {b})  # the layer: weights, bias, then σ",
    "tanh_function": "{s} = {a}({W} @ hx + {b})  # the layer: weights, bias, then tanh",
    "elementwise_product": "{s} = {a}({W} @ hx + {b})  # @, the matrix product",
    "concat_order": "hx = np.concatenate([h_prev, x_t])  # h first",
    "tanh_for_sigma": "{s} = sigmoid({W} @ hx + {b})",
    "sigma_for_tanh": "{s} = tanh({W} @ hx + {b})",
    "relu": "{s} = {a}({W} @ hx + {b})",
    "no_activation": "{s} = {a}({W} @ hx + {b})",
    "bias_missing": "{s} = {a}({W} @ hx + {b})  # the bias inside",
    "bias_outside": "{s} = {a}({W} @ hx + {b})  # the bias inside",
    "weights_swapped": "{s} = {a}({W} @ hx + {b})  # its own weights",
    "forget_gate_inverted": "f_t = sigmoid(W_f @ hx + b_f)  # no 1 −",
    # the cell update
    "forget_gate_missing": "C_t = f_t * C_prev + i_t * C_tilde",
    "input_gate_missing": "C_t = f_t * C_prev + i_t * C_tilde",
    "new_information_missing": "C_t = f_t * C_prev + i_t * C_tilde",
    "discarded_part_kept": "C_t = f_t * C_prev + i_t * C_tilde  # f_t, not 1 - f_t",
    "gates_swapped": "C_t = f_t * C_prev + i_t * C_tilde",
    "product_for_sum": "C_t = f_t * C_prev + i_t * C_tilde",
    "tanh_on_cell_state": "C_t = f_t * C_prev + i_t * C_tilde  # no tanh",
    "coupled_update": "C_t = f_t * C_prev + i_t * C_tilde",
    "dot_product": "C_t = f_t * C_prev + i_t * C_tilde  # * is pointwise",
    # h_t
    "h_without_tanh": "h_t = o_t * tanh(C_t)",
    "sigma_on_cell_state": "h_t = o_t * tanh(C_t)",
    "tanh_after_product": "h_t = o_t * tanh(C_t)",
    "output_gate_missing": "h_t = o_t * tanh(C_t)",
    # PyTorch's storage
    "torch_rows": "i, f, g, o = (slice(k * H, (k + 1) * H) for k in range(4))",
    "torch_columns": "W = np.hstack([weight_hh, weight_ih])  # h first, as [h_{t-1}, x_t]",
    "torch_bias": "b = bias_ih + bias_hh",
    "torch_bias_rows": "i, f, g, o = (slice(k * H, (k + 1) * H) for k in range(4))",
}
"""The line of code each named misconception gets wrong: shown with ``show_fix=True`` only."""

ANSWERS: dict[str, dict[str, str]] = {
    "check_forget_gate": {
        "lstm_course.lstm.forget_gate": N_("the forget gate's sigmoid layer"),
        "lstm_course.neuron.dense_layer": N_("a dense layer, σ(W·v + b) with σ"),
        "lstm_course.lstm.lstm_cell": N_("the whole LSTM cell, f_t included"),
    },
    "check_input_gate_and_candidate": {
        "lstm_course.lstm.input_gate": N_("the input gate's sigmoid layer"),
        "lstm_course.lstm.candidate": N_("the candidate's tanh layer"),
        "lstm_course.neuron.dense_layer": N_("a dense layer, σ(W·v + b) or tanh(W·v + b)"),
        "lstm_course.lstm.lstm_cell": N_("the whole LSTM cell, i_t and C̃_t included"),
    },
    "check_cell_update": {
        "lstm_course.lstm.update_cell": N_("the cell update"),
        "lstm_course.lstm.gate_values_step": N_("one step of the cell from gate values"),
    },
    "check_output_gate_and_hidden_state": {
        "lstm_course.lstm.output_gate": N_("the output gate's sigmoid layer"),
        "lstm_course.lstm.hidden_state": N_("h_t = o_t ⊙ tanh(C_t)"),
        "lstm_course.neuron.dense_layer": N_("a dense layer, σ(W·v + b) with σ"),
        "lstm_course.lstm.lstm_cell": N_("the whole LSTM cell, o_t and h_t included"),
    },
    "check_article_weights": {
        "lstm_course.torch_bridge.lstm_params_from_torch": N_(
            "PyTorch's weights read as the article's"
        ),
    },
}
"""The package's answers, off-limits while a check runs the student's function (``forbidden``)."""


def _call(student: Any, check: str, args: tuple, where: str, hints: Any = None) -> Any:
    """``call_student`` with the package's answers to ``check`` off-limits."""
    with forbidden(student, ANSWERS[check]):
        return call_student(student, args, where, hints)


def _layer_fix(key: str, layer: Layer) -> str:
    a = {"σ": "sigmoid", "tanh": "tanh"}[layer.activation]
    s = "C_tilde" if layer.symbol == "C̃_t" else layer.symbol
    return MISCONCEPTION_FIXES[key].format(s=s, a=a, W=layer.W_name, b=layer.b_name)


def recognised(
    check: Callable[..., Feedback] | str,
    misconceptions: Mapping[str, str] = MISCONCEPTIONS,
    by_check: Mapping[str, tuple[str, ...]] = RECOGNISED,
) -> list[str]:
    """The misconceptions ``check`` (a check function or its name) recognises, in words."""
    return checking.recognised(check, misconceptions, by_check)


def named(
    key: str,
    where: str,
    detail: str,
    misconceptions: Mapping[str, str] = MISCONCEPTIONS,
    fix: str | None = None,
) -> Feedback:
    """A failed check: the misconception's name, where it showed, then the explanation; ``fix``
    (default: the key's line of ``MISCONCEPTION_FIXES``) only with ``show_fix=True``."""
    if fix is None:
        fix = MISCONCEPTION_FIXES.get(key, "")
    return checking.named(key, where, detail, misconceptions, fix)


def _error_hints(sizes: tuple[int, int] | None = None) -> ErrorHints:
    """How numpy's errors read in an LSTM layer with H units and D inputs."""
    return ErrorHints(
        matmul=_(
            "A matrix product failed ({where}): {error}. Each W has H + D columns, one per value "
            "of [h_{{t-1}}, x_t]: join h_{{t-1}} and x_t into one vector first, then multiply. "
            "W times h_{{t-1}} alone, or x_t alone, does not fit."
        ),
        broadcast=_(
            "The shapes do not fit ({where}): {error}. A bias has H values: add it to the "
            "product W·[h_{{t-1}}, x_t] (H values), not to [h_{{t-1}}, x_t] (H + D values)."
        ),
        diagnose=None if sizes is None else partial(_broadcast_mistake, sizes=sizes),
    )


def _broadcast_mistake(text: str, where: str, sizes: tuple[int, int]) -> Feedback | None:
    """The misconception behind a broadcast error, read from the shapes numpy names."""
    H, D = sizes
    if f"({H},{H + D})" in text:
        return named(
            "elementwise_product",
            _("it seems, {where}").format(where=where),
            _(
                "{text}. A ({H}, {HD}) array is W's shape: multiplying value by value keeps "
                "W's shape; the matrix product W·[h_{{t-1}}, x_t] also sums each row, giving "
                "H = {H} values."
            ).format(text=text, H=H, HD=H + D),
        )
    if f"({H + D},)" in text and H + D != H:
        return named(
            "sigma_function",
            _("it seems, {where}").format(where=where),
            _(
                "{text}. A vector of H + D = {HD} values is [h_{{t-1}}, x_t] itself, "
                "never multiplied by W: σ on it gives {HD} values, where every layer "
                "gives H = {H}. The sigmoid layer is σ(W·[h_{{t-1}}, x_t] + b)."
            ).format(text=text, H=H, HD=H + D),
        )
    return None


# --- Hidden cases --------------------------------------------------------------------------------


class GateCase(NamedTuple):
    """One hidden case: h_{t-1} (H,), x_t (D,), and every layer's W (H, H + D) and b (H,)."""

    where: str
    h_prev: np.ndarray
    x_t: np.ndarray
    params: LSTMParams
    C_prev: np.ndarray

    @property
    def sizes(self) -> tuple[int, int]:
        """(H, D)."""
        return self.params.hidden_size, self.params.input_size


def other_sizes(rng: np.random.Generator, n: int = 2) -> list[tuple[int, int]]:
    """``n`` sizes (H, D) with H ≠ D, drawn from ``rng``: one with H < D, one with H > D."""
    sizes = []
    while len(sizes) < n:
        H, D = (int(k) for k in rng.integers(1, 7, size=2))
        if H != D and H >= 2 and (H < D) == (len(sizes) % 2 == 0):
            sizes.append((H, D))
    return sizes


def random_gate_params(
    rng: np.random.Generator, h_prev: np.ndarray, x_t: np.ndarray, weight_scale: float = 1.0
) -> LSTMParams:
    """Every layer's W (H, H + D) and b (H,), N(0, weight_scale²), redrawn until each layer's
    pre-activation W·[h_{t-1}, x_t] + b has both signs (so ReLU and no activation differ)."""
    hx = np.concatenate([h_prev, x_t])
    blocks = {}
    for W_name, b_name in LSTMParams.BLOCKS:
        while True:  # a few draws at most; seeded, so always the same ones
            W = rng.normal(0.0, weight_scale, (h_prev.size, hx.size))
            b = rng.normal(0.0, weight_scale, h_prev.size)
            z = W @ hx + b
            if h_prev.size < 2 or z.min() < 0 < z.max():
                break
        blocks[W_name], blocks[b_name] = W, b
    return LSTMParams(**blocks)


def gate_cases(seed: int = 0) -> list[GateCase]:
    """seed 0: the article's h_{t-1}, x_t, C_{t-1} with weights drawn from default_rng(0) — the
    case the notebooks describe. Any other seed: two hidden cases with H ≠ D (one H < D, one
    H > D) and every value drawn from default_rng(seed), so hard-coding seed 0 fails them.

    Weights are N(0, 1): with W_f = 0 (the article's choice) the order of [h_{t-1}, x_t]
    would not show, and small weights would hide a missing activation. Every layer's
    pre-activation W·[h_{t-1}, x_t] + b has both signs, so ReLU and no activation differ.
    """
    rng = np.random.default_rng(seed)
    if seed == 0:
        h_prev, x_t = worked_example.h_prev.copy(), worked_example.x_t.copy()
        return [
            GateCase(
                _("on the article's h_{t-1} and x_t"),
                h_prev,
                x_t,
                random_gate_params(rng, h_prev, x_t),
                worked_example.C_prev.copy(),
            )
        ]
    cases = []
    for H, D in other_sizes(rng):
        h_prev, x_t = rng.normal(0.0, 0.7, H), rng.normal(0.0, 1.0, D)
        cases.append(
            GateCase(
                _("on a hidden case with H = {H}, D = {D}").format(H=H, D=D),
                h_prev,
                x_t,
                random_gate_params(rng, h_prev, x_t),
                rng.normal(0.0, 1.5, H),
            )
        )
    return cases


# --- One layer: σ(W·[h_{t-1}, x_t] + b) or tanh(W·[h_{t-1}, x_t] + b) --------------------------

_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "σ": sigmoid,
    "tanh": tanh,
    "ReLU": relu,
    "none": lambda z: z,
}


class Layer(NamedTuple):
    """What the student should have computed: ``symbol`` = activation(W·[h_{t-1}, x_t] + b)."""

    symbol: str  # "f_t"
    W_name: str  # "W_f"
    b_name: str  # "b_f"
    activation: str  # "σ" or "tanh"
    W: np.ndarray
    b: np.ndarray
    equation: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]  # e.g. lstm.forget_gate


def _activation_key(right: str, used: str) -> str | None:
    if used == right:
        return None
    return {
        ("σ", "tanh"): "tanh_for_sigma",
        ("tanh", "σ"): "sigma_for_tanh",
    }.get((right, used), "relu" if used == "ReLU" else "no_activation")


def _layer_explanations(layer: Layer, other: Layer | None) -> dict[str, str]:
    s, W, b, a = layer.symbol, layer.W_name, layer.b_name, layer.activation
    why = {
        "σ": _("{s} is a gate, a fraction in (0, 1) of how much passes"),
        "tanh": _("{s} is a candidate value that may be negative, in (−1, 1)"),
    }[a].format(s=s)
    explanations = {
        "concat_order": _(
            "the article joins h_{{t-1}} first, [h_{{t-1}}, x_t], and the first H columns of "
            "{W} are the weights for h_{{t-1}}."
        ).format(W=W),
        "tanh_for_sigma": _("{why}, so it needs σ; tanh gives values in (−1, 1).").format(why=why),
        "sigma_for_tanh": _(
            "{why}, so it needs tanh; σ would only ever add to the cell state."
        ).format(why=why),
        "relu": _("{why}: the article's layer applies {a}.").format(why=why, a=a),
        "no_activation": _(
            "you returned {W}·[h_{{t-1}}, x_t] + {b} itself; apply {a} to it."
        ).format(W=W, b=b, a=a),
        "bias_missing": _("the layer is {a}({W}·[h_{{t-1}}, x_t] + {b}); add {b} inside.").format(
            W=W, b=b, a=a
        ),
        "bias_outside": _(
            "{b} goes inside, {a}({W}·[h_{{t-1}}, x_t] + {b}), so {s} stays in {a}'s range."
        ).format(W=W, b=b, a=a, s=s),
    }
    if other is not None:
        explanations["weights_swapped"] = _(
            "{s} uses {W} and {b}; {other} uses {other_W} and {other_b}. "
            "Each layer learns its own weights."
        ).format(s=s, W=W, b=b, other=other.symbol, other_W=other.W_name, other_b=other.b_name)
    return explanations


def _diagnose_layer(
    out: np.ndarray, layer: Layer, case: GateCase, other: Layer | None = None
) -> Feedback | None:
    """None if ``out`` is the layer's output on ``case``; otherwise the mistake, named."""
    h, x = case.h_prev, case.x_t
    H, n_in = layer.W.shape
    hx, xh = np.concatenate([h, x]), np.concatenate([x, h])
    where = _("{symbol}, {where}").format(symbol=layer.symbol, where=case.where)
    act = _ACTIVATIONS[layer.activation]
    if out.shape == layer.W.shape:
        return named(
            "elementwise_product",
            where,
            _(
                "your {symbol} has shape {shape}, the shape of {W}. "
                "Multiplying value by value keeps {W}'s shape; the matrix product "
                "{W}·[h_{{t-1}}, x_t] also sums each row, giving one value per unit: "
                "H = {H}."
            ).format(symbol=layer.symbol, shape=out.shape, W=layer.W_name, H=H),
            fix=_layer_fix("elementwise_product", layer),
        )
    inputs = ((hx, "[h_{t-1}, x_t]"), (xh, "[x_t, h_{t-1}]"), (h, "h_{t-1}"), (x, "x_t"))
    for vector, what in inputs:  # the function on the inputs, no weights
        if close(out, act(vector)):
            return _function_instead_of_layer(layer, where, what, out.size, H, n_in)
    if out.shape != (H,):
        return mistake(
            _(
                "Wrong shape ({where}): your {symbol} has shape {shape}; expected ({H},), "
                "one value per row of {W} ({H}×{n_in})."
            ).format(
                where=where, symbol=layer.symbol, shape=out.shape, H=H, W=layer.W_name, n_in=n_in
            )
        )
    expected = layer.equation(hx, layer.W, layer.b)
    if close(out, expected):
        return None
    explanations = _layer_explanations(layer, other)
    for keys, value in _layer_variants(layer, hx, xh, other):
        if keys and close(out, value):
            first, *rest = keys
            also = "".join(
                _(" Also: {name} — {hint}").format(name=_(MISCONCEPTIONS[k]), hint=explanations[k])
                for k in rest
            )
            return named(first, where, explanations[first] + also, fix=_layer_fix(first, layer))
    if layer.symbol == "f_t" and close(out, 1.0 - expected):
        return named(
            "forget_gate_inverted",
            where,
            _(
                "you returned 1 − σ(W_f·[h_{{t-1}}, x_t] + b_f), the fraction forgotten. Despite "
                "its name, the forget gate says how much to keep: f_t = 1 keeps all of C_{{t-1}}."
            ),
        )
    return mistake(
        _(
            "Not yet ({where}): your {symbol} = {out}; expected "
            "{a}({W}·[h_{{t-1}}, x_t] + {b}) = {expected}."
        ).format(
            where=where,
            symbol=layer.symbol,
            out=np.round(out, 3),
            a=layer.activation,
            W=layer.W_name,
            b=layer.b_name,
            expected=np.round(expected, 3),
        )
    )


def _function_instead_of_layer(
    layer: Layer, where: str, what: str, n_out: int, H: int, n_in: int
) -> Feedback:
    key = "sigma_function" if layer.activation == "σ" else "tanh_function"
    return named(
        key,
        where,
        _(
            "you applied {a} to {what} value by value and got {n_out} values. "
            "The layer first mixes all {n_in} values of [h_{{t-1}}, x_t] with {W} "
            "({H}×{n_in}) and adds {b}, giving {H} values, then applies "
            "{a}: {symbol} = {a}({W}·[h_{{t-1}}, x_t] + {b})."
        ).format(
            a=layer.activation,
            what=what,
            n_out=n_out,
            n_in=n_in,
            W=layer.W_name,
            H=H,
            b=layer.b_name,
            symbol=layer.symbol,
        ),
        fix=_layer_fix(key, layer),
    )


def _layer_variants(
    layer: Layer, hx: np.ndarray, xh: np.ndarray, other: Layer | None
) -> list[tuple[tuple[str, ...], np.ndarray]]:
    """The layer's output under every combination of known mistakes, fewest mistakes first."""
    weights = [((), layer.W, layer.b)]
    if other is not None:
        weights.append((("weights_swapped",), other.W, other.b))
    variants = []
    for (w_keys, W, b), (order, v), used, bias in itertools.product(
        weights,
        ((None, hx), ("concat_order", xh)),
        _ACTIVATIONS,
        (None, "bias_missing", "bias_outside"),
    ):
        a = _ACTIVATIONS[used]
        z = W @ v
        value = {None: a(z + b), "bias_missing": a(z), "bias_outside": a(z) + b}[bias]
        keys = (*w_keys, order, _activation_key(layer.activation, used), bias)
        variants.append((tuple(k for k in keys if k is not None), value))
    return sorted(variants, key=lambda variant: len(variant[0]))


_LAYERS = {  # gate letter -> (symbol, activation, the package's equation)
    "f": ("f_t", "σ", forget_gate),
    "i": ("i_t", "σ", input_gate),
    "C": ("C̃_t", "tanh", candidate),
    "o": ("o_t", "σ", output_gate),
}


def _gate_layer(gate: str, params: LSTMParams) -> Layer:
    """The layer of gate ``gate`` ("f", "i", "C" or "o") with ``params``' weights."""
    symbol, activation, equation = _LAYERS[gate]
    W, b = getattr(params, f"W_{gate}"), getattr(params, f"b_{gate}")
    return Layer(symbol, f"W_{gate}", f"b_{gate}", activation, W, b, equation)


# --- 06: the forget gate ---------------------------------------------------------------------

ForgetGate = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def check_forget_gate(
    compute_f_t: ForgetGate | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``compute_f_t(h_prev, x_t, W_f, b_f) -> f_t`` = σ(W_f·[h_{t-1}, x_t] + b_f).

    h_prev (H,), x_t (D,), W_f (H, H + D), b_f (H,) -> f_t (H,). seed 0: the article's
    h_{t-1} and x_t with seeded 3×6 weights; any other seed: sizes where H ≠ D (``gate_cases``).
    """

    def judge(case) -> Feedback | None:
        p = case.params
        out = as_array(
            _call(
                compute_f_t,
                "check_forget_gate",
                (case.h_prev, case.x_t, p.W_f, p.b_f),
                case.where,
                _error_hints(case.sizes),
            ),
            "f_t",
            case.where,
        )
        return _diagnose_layer(out, _gate_layer("f", p), case)

    return check_cases(
        compute_f_t,
        "compute_f_t(h_prev, x_t, W_f, b_f)",
        gate_cases(seed),
        judge,
        _(
            "Correct: f_t = σ(W_f·[h_{t-1}, x_t] + b_f) on every hidden case — the 6 values of "
            "[h_{t-1}, x_t] become 3, one fraction per unit of the cell state."
        ),
        show_fix,
        _(FIXES["check_forget_gate"]),
    )


# --- 07: the input gate, the candidate, the cell update --------------------------------------

InputAndCandidate = Callable[..., tuple[np.ndarray, np.ndarray]]


def check_input_gate_and_candidate(
    compute_i_t_and_C_tilde: InputAndCandidate | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``compute_i_t_and_C_tilde(h_prev, x_t, W_i, b_i, W_C, b_C) -> (i_t, C_tilde)``.

    i_t = σ(W_i·[h_{t-1}, x_t] + b_i) and C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C), each (H,);
    h_prev (H,), x_t (D,), W_i and W_C (H, H + D), b_i and b_C (H,).
    """

    def judge(case) -> Feedback | None:
        p = case.params
        args = (case.h_prev, case.x_t, p.W_i, p.b_i, p.W_C, p.b_C)
        result = _call(
            compute_i_t_and_C_tilde,
            "check_input_gate_and_candidate",
            args,
            case.where,
            _error_hints(case.sizes),
        )
        i_t, C_tilde = two_results(result, ("i_t", "C_tilde"), case.where)
        input_layer = _gate_layer("i", p)
        candidate_layer = _gate_layer("C", p)
        hx = np.concatenate([case.h_prev, case.x_t])
        expected = (input_gate(hx, p.W_i, p.b_i), candidate(hx, p.W_C, p.b_C))
        if close(i_t, expected[1]) and close(C_tilde, expected[0]):
            return named(
                "outputs_swapped",
                case.where,
                _("your first result is C̃_t and your second i_t: i_t comes first."),
                fix="return i_t, C_tilde",
            )
        verdicts = [
            verdict
            for verdict in (
                _diagnose_layer(i_t, input_layer, case, candidate_layer),
                _diagnose_layer(C_tilde, candidate_layer, case, input_layer),
            )
            if verdict is not None
        ]
        if verdicts:  # name both layers' mistakes at once
            return mistake(
                " ".join(verdict.message for verdict in verdicts),
                "; ".join(verdict.fix for verdict in verdicts if verdict.fix),
            )
        return None

    return check_cases(
        compute_i_t_and_C_tilde,
        "compute_i_t_and_C_tilde(h_prev, x_t, W_i, b_i, W_C, b_C)",
        gate_cases(seed),
        judge,
        _(
            "Correct: i_t = σ(W_i·[h_{t-1}, x_t] + b_i) decides how much to write, in (0, 1); "
            "C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C) proposes what to write, in (−1, 1)."
        ),
        show_fix,
        _(FIXES["check_input_gate_and_candidate"]),
    )


class UpdateCase(NamedTuple):
    """One hidden case for the cell update: f_t, C_{t-1}, i_t, C̃_t, each (H,)."""

    where: str
    f_t: np.ndarray
    C_prev: np.ndarray
    i_t: np.ndarray
    C_tilde: np.ndarray


NOTEBOOK_07_I_T = np.array([0.8, 0.5, 0.2])
NOTEBOOK_07_C_TILDE = np.array([0.6, -0.4, 0.9])
"""The i_t and C̃_t notebook 07 chooses (the article gives no numbers past f_t)."""


def update_cases(seed: int = 0) -> list[UpdateCase]:
    """seed 0: the article's f_t and C_{t-1} with notebook 07's i_t and C̃_t. Any other seed:
    two hidden cases, H drawn from 2 to 6 (never 3), every value from default_rng(seed)."""
    if seed == 0:
        return [
            UpdateCase(
                _("on the article's f_t and C_{t-1}, with notebook 07's i_t and C̃_t"),
                worked_example.f_t.copy(),
                worked_example.C_prev.copy(),
                NOTEBOOK_07_I_T.copy(),
                NOTEBOOK_07_C_TILDE.copy(),
            )
        ]
    rng = np.random.default_rng(seed)
    cases = []
    for H, _d in other_sizes(rng):
        H = H if H != 3 else 5
        cases.append(
            UpdateCase(
                _("on a hidden case with H = {H}").format(H=H),
                sigmoid(rng.normal(0.0, 1.5, H)),
                rng.normal(0.0, 1.5, H),
                sigmoid(rng.normal(0.0, 1.5, H)),
                tanh(rng.normal(0.0, 1.5, H)),
            )
        )
    return cases


_UPDATE_MISTAKES: tuple[tuple[str, Callable[..., np.ndarray], str], ...] = (
    (
        "forget_gate_missing",
        lambda f_t, C_prev, i_t, C_tilde: C_prev + i_t * C_tilde,
        N_("C_{t-1} passed whole. f_t decides how much of C_{t-1} is kept: f_t ⊙ C_{t-1}."),
    ),
    (
        "input_gate_missing",
        lambda f_t, C_prev, i_t, C_tilde: f_t * C_prev + C_tilde,
        N_("C̃_t was written whole. i_t decides how much of it is written: i_t ⊙ C̃_t."),
    ),
    (
        "new_information_missing",
        lambda f_t, C_prev, i_t, C_tilde: f_t * C_prev,
        N_("you kept f_t ⊙ C_{t-1} but wrote nothing new: add i_t ⊙ C̃_t."),
    ),
    (
        "discarded_part_kept",
        lambda f_t, C_prev, i_t, C_tilde: (1.0 - f_t) * C_prev + i_t * C_tilde,
        N_(
            "(1 − f_t) ⊙ C_{t-1} is the part the forget gate discards, the article's §3.5 reading "
            "of 'forgetting'. The cell keeps f_t ⊙ C_{t-1}: f_t = 1 keeps everything."
        ),
    ),
    (
        "gates_swapped",
        lambda f_t, C_prev, i_t, C_tilde: i_t * C_prev + f_t * C_tilde,
        N_(
            "the forget gate f_t scales the old state C_{t-1}; the input gate i_t scales the new "
            "candidate C̃_t."
        ),
    ),
    (
        "product_for_sum",
        lambda f_t, C_prev, i_t, C_tilde: (f_t * C_prev) * (i_t * C_tilde),
        N_("C_t is what is kept plus what is written: f_t ⊙ C_{t-1} + i_t ⊙ C̃_t."),
    ),
    (
        "tanh_on_cell_state",
        lambda f_t, C_prev, i_t, C_tilde: tanh(f_t * C_prev + i_t * C_tilde),
        N_(
            "C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t, with no squashing: an unsquashed C_t can carry a "
            "value unchanged for many steps. The tanh comes later, in h_t = o_t ⊙ tanh(C_t)."
        ),
    ),
    (
        "coupled_update",
        lambda f_t, C_prev, i_t, C_tilde: f_t * C_prev + (1.0 - f_t) * C_tilde,
        N_(
            "f_t ⊙ C_{t-1} + (1 − f_t) ⊙ C̃_t is the coupled variant (notebook 09). The article's "
            "cell has its own input gate: f_t ⊙ C_{t-1} + i_t ⊙ C̃_t."
        ),
    ),
)


def check_cell_update(
    compute_C_t: Callable[..., np.ndarray] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``compute_C_t(f_t, C_prev, i_t, C_tilde) -> C_t`` = f_t * C_{t-1} + i_t * C̃_t.

    All four inputs and C_t are (H,); every product is pointwise.
    """

    def judge(case) -> Feedback | None:
        args = (case.f_t, case.C_prev, case.i_t, case.C_tilde)
        C_t = as_array(
            _call(compute_C_t, "check_cell_update", args, case.where, _error_hints()),
            "C_t",
            case.where,
        )
        H = case.C_prev.size
        if C_t.shape == ():
            return named(
                "dot_product",
                case.where,
                _(
                    "your C_t is one number. The article's * is the pointwise product ⊙: unit k "
                    "of C_t is f_t[k]·C_{{t-1}}[k] + i_t[k]·C̃_t[k], so C_t has H = {H} values "
                    "(a dot product multiplies the same pairs, then adds them all up)."
                ).format(H=H),
            )
        if C_t.shape != (H,):
            return mistake(
                _(
                    "Wrong shape ({where}): your C_t has shape {shape}; expected "
                    "({H},), one value per unit, like C_{{t-1}}."
                ).format(where=case.where, shape=C_t.shape, H=H)
            )
        if close(C_t, update_cell(*args)):
            return None
        for key, wrong, explanation in _UPDATE_MISTAKES:
            if close(C_t, wrong(*args)):
                return named(key, case.where, _(explanation))
        return mistake(
            _(
                "Not yet ({where}): your C_t = {yours}; expected "
                "f_t ⊙ C_{{t-1}} + i_t ⊙ C̃_t = {expected}."
            ).format(
                where=case.where, yours=np.round(C_t, 3), expected=np.round(update_cell(*args), 3)
            )
        )
        return None

    return check_cases(
        compute_C_t,
        "compute_C_t(f_t, C_prev, i_t, C_tilde)",
        update_cases(seed),
        judge,
        _(
            "Correct: C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t — keep a fraction of the old state, "
            "add a fraction of the candidate, unit by unit."
        ),
        show_fix,
        _(FIXES["check_cell_update"]),
    )


# --- 08: the output gate and h_t ----------------------------------------------------------------

_HIDDEN_MISTAKES: tuple[tuple[str, Callable[[np.ndarray, np.ndarray], np.ndarray], str], ...] = (
    (
        "h_without_tanh",
        lambda o_t, C_t: o_t * C_t,
        N_(
            "h_t = o_t ⊙ tanh(C_t). C_t is not squashed and can grow beyond ±1; tanh (a function, "
            "no weights — the article's note in §3.6) brings it into (−1, 1) before the gate."
        ),
    ),
    (
        "sigma_on_cell_state",
        lambda o_t, C_t: o_t * sigmoid(C_t),
        N_("h_t = o_t ⊙ tanh(C_t): σ would turn a negative C_t into a positive output."),
    ),
    (
        "tanh_after_product",
        lambda o_t, C_t: tanh(o_t * C_t),
        N_("squash C_t first, then let the gate choose how much passes: o_t ⊙ tanh(C_t)."),
    ),
    (
        "output_gate_missing",
        lambda o_t, C_t: tanh(C_t),
        N_(
            "tanh(C_t) passed whole; the output gate decides how much of it leaves: "
            "o_t ⊙ tanh(C_t)."
        ),
    ),
)


def check_output_gate_and_hidden_state(
    compute_o_t_and_h_t: Callable[..., tuple[np.ndarray, np.ndarray]] | None,
    show_fix: bool = False,
    *,
    seed: int = 0,
) -> Feedback:
    """Check ``compute_o_t_and_h_t(h_prev, x_t, C_t, W_o, b_o) -> (o_t, h_t)``.

    o_t = σ(W_o·[h_{t-1}, x_t] + b_o) and h_t = o_t * tanh(C_t), each (H,); h_prev and C_t
    (H,), x_t (D,), W_o (H, H + D), b_o (H,). C_t is drawn beyond ±1 so the tanh shows.
    """

    def judge(case) -> Feedback | None:
        p, C_t = case.params, case.C_prev * 2.0  # any C_t will do; make it big
        args = (case.h_prev, case.x_t, C_t, p.W_o, p.b_o)
        o_t, h_t = two_results(
            _call(
                compute_o_t_and_h_t,
                "check_output_gate_and_hidden_state",
                args,
                case.where,
                _error_hints(case.sizes),
            ),
            ("o_t", "h_t"),
            case.where,
        )
        hx = np.concatenate([case.h_prev, case.x_t])
        expected_o = output_gate(hx, p.W_o, p.b_o)
        expected_h = hidden_state(expected_o, C_t)
        if close(o_t, expected_h) and close(h_t, expected_o):
            return named(
                "outputs_swapped",
                case.where,
                _("your first result is h_t: o_t comes first."),
                fix="return o_t, h_t",
            )
        verdict = _diagnose_layer(o_t, _gate_layer("o", p), case)
        if verdict is not None:
            return verdict
        if close(h_t, expected_h):
            return None
        for key, wrong, explanation in _HIDDEN_MISTAKES:
            if close(h_t, wrong(expected_o, C_t)):
                return named(
                    key,
                    _("{symbol}, {where}").format(symbol="h_t", where=case.where),
                    _(explanation),
                )
        return mistake(
            _(
                "Not yet (h_t, {where}): your h_t = {yours}; expected o_t ⊙ tanh(C_t) = {expected}."
            ).format(where=case.where, yours=np.round(h_t, 3), expected=np.round(expected_h, 3))
        )
        return None

    return check_cases(
        compute_o_t_and_h_t,
        "compute_o_t_and_h_t(h_prev, x_t, C_t, W_o, b_o)",
        gate_cases(seed),
        judge,
        _(
            "Correct: o_t = σ(W_o·[h_{t-1}, x_t] + b_o) and h_t = o_t ⊙ tanh(C_t) — a layer "
            "for the gate, a plain function for the squashing."
        ),
        show_fix,
        _(FIXES["check_output_gate_and_hidden_state"]),
    )


# --- 08: reading nn.LSTMCell's weights ----------------------------------------------------------


class TorchCase(NamedTuple):
    """One hidden nn.LSTMCell (float64) and its four blocks, as numpy arrays."""

    where: str
    cell: Any  # torch.nn.LSTMCell
    W_ih: np.ndarray  # (4H, D)
    W_hh: np.ndarray  # (4H, H)
    b_ih: np.ndarray  # (4H,)
    b_hh: np.ndarray  # (4H,)


def torch_cases(seed: int = 0) -> list[TorchCase]:
    """seed 0: an nn.LSTMCell with the article's sizes (D = H = 3). Any other seed: two hidden
    cells with H ≠ D (one H < D, one H > D). Values drawn from default_rng(seed).

    Every weight and both biases are seeded normal values (not PyTorch's initialisation, and
    bias_hh nonzero so a forgotten bias shows); torch's global random state is left untouched.
    """
    import torch  # only this check needs torch

    rng = np.random.default_rng(seed)
    if seed == 0:
        sizes = [(3, 3, _("on an nn.LSTMCell(3, 3), the article's sizes"))]
    else:
        sizes = [
            (D, H, _("on a hidden nn.LSTMCell({D}, {H})").format(D=D, H=H))
            for H, D in other_sizes(rng)
        ]
    cases = []
    for D, H, where in sizes:
        blocks = {
            "weight_ih": rng.normal(0.0, 1.0, (4 * H, D)),
            "weight_hh": rng.normal(0.0, 1.0, (4 * H, H)),
            "bias_ih": rng.normal(0.0, 1.0, 4 * H),
            "bias_hh": rng.normal(0.0, 1.0, 4 * H),
        }
        with torch.random.fork_rng(devices=[]):
            cell = torch.nn.LSTMCell(D, H, dtype=torch.float64)
        with torch.no_grad():
            for name, value in blocks.items():
                getattr(cell, name).copy_(torch.from_numpy(value))
        cases.append(TorchCase(where, cell, *blocks.values()))
    return cases


def _student_blocks(result: Any, where: str) -> dict[str, np.ndarray]:
    """W_f, b_f, … from an LSTMParams or a mapping with those names."""
    names = [name for pair in LSTMParams.BLOCKS for name in pair]
    if isinstance(result, LSTMParams):
        return {name: getattr(result, name) for name in names}
    if isinstance(result, Mapping) and all(name in result for name in names):
        return {name: as_array(result[name], name, where) for name in names}
    raise CheckEndedError(
        mistake(
            _(
                "Return LSTMParams(W_f=…, b_f=…, W_i=…, b_i=…, W_C=…, b_C=…, W_o=…, b_o=…) "
                "({where}); got a {kind}."
            ).format(where=where, kind=type(result).__name__)
        )
    )


def check_article_weights(
    article_weights: Callable[[Any], Any] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``article_weights(cell) -> LSTMParams`` against PyTorch's storage.

    ``cell`` is an ``nn.LSTMCell(D, H)``: weight_ih (4H, D), weight_hh (4H, H), bias_ih and
    bias_hh (4H,), rows stacked i, f, g, o. Expected per gate: W = [weight_hh | weight_ih] rows
    (H, H + D), acting on [h_{t-1}, x_t], and b = bias_ih + bias_hh rows (H,).
    """

    def judge(case) -> Feedback | None:
        blocks = _student_blocks(
            _call(
                article_weights, "check_article_weights", (case.cell,), case.where, _error_hints()
            ),
            case.where,
        )
        return _diagnose_torch_reading(blocks, case)

    return check_cases(
        article_weights,
        "article_weights(cell)",
        torch_cases(seed),
        judge,
        _(
            "Correct: PyTorch stacks its gates as i, f, g, o; each article W is "
            "[weight_hh | weight_ih] on [h_{t-1}, x_t], and each b is bias_ih + bias_hh."
        ),
        show_fix,
        _(FIXES["check_article_weights"]),
    )


def _diagnose_torch_reading(blocks: dict[str, np.ndarray], case: TorchCase) -> Feedback | None:
    from lstm_course.torch_bridge import ARTICLE_GATE, TORCH_GATE_ORDER, torch_gate_rows

    H, D = case.W_hh.shape[1], case.W_ih.shape[1]
    rows = {g: torch_gate_rows(g, H) for g in TORCH_GATE_ORDER}
    W_candidates = {}  # (torch gate, columns right?) -> W
    b_candidates = {}  # (torch gate, which bias) -> b
    for g, r in rows.items():
        W_candidates[(g, True)] = np.hstack([case.W_hh[r], case.W_ih[r]])
        W_candidates[(g, False)] = np.hstack([case.W_ih[r], case.W_hh[r]])
        b_candidates[(g, "both")] = case.b_ih[r] + case.b_hh[r]
        b_candidates[(g, "bias_ih")] = case.b_ih[r]
        b_candidates[(g, "bias_hh")] = case.b_hh[r]
    W_read, b_read = {}, {}
    for g in TORCH_GATE_ORDER:
        gate = ARTICLE_GATE[g]
        W, b = blocks[f"W_{gate}"], blocks[f"b_{gate}"]
        if W.shape != (H, H + D):
            return mistake(
                _(
                    "W_{gate} has shape {shape} ({where}); expected ({H}, {HD}) = (hidden, "
                    "hidden + input): H rows of weight_hh and of weight_ih, side by side."
                ).format(gate=gate, shape=W.shape, where=case.where, H=H, HD=H + D)
            )
        W_read[gate] = next((key for key, c in W_candidates.items() if close(W, c)), None)
        b_read[gate] = next((key for key, c in b_candidates.items() if close(b, c)), None)
    torch_name = {ARTICLE_GATE[g]: g for g in TORCH_GATE_ORDER}
    order = _("PyTorch stacks its four gates' rows as i, f, g, o (g is the article's C̃)")
    swapped = [
        gate for gate, key in W_read.items() if key is not None and key[0] != torch_name[gate]
    ]
    if swapped:
        read = ", ".join(
            _("your W_{gate} holds PyTorch's {rows} rows").format(gate=gate, rows=W_read[gate][0])
            for gate in swapped
        )
        return named(
            "torch_rows",
            case.where,
            _("{read}. {order}, not the article's f, i, C, o: W_f comes from rows H to 2H.").format(
                read=read, order=order
            ),
        )
    if any(key is not None and not key[1] for key in W_read.values()):
        return named(
            "torch_columns",
            case.where,
            _(
                "the article's W acts on [h_{t-1}, x_t], h first, so its first H columns are "
                "weight_hh's and the last D are weight_ih's: W = [weight_hh | weight_ih]."
            ),
        )
    unknown = [gate for gate, key in W_read.items() if key is None]
    if unknown:
        return mistake(
            _(
                "Not yet ({where}): W_{gate} matches no block of weight_hh and "
                "weight_ih. {order}; W_{gate} = [weight_hh | weight_ih] rows of its gate."
            ).format(where=case.where, gate=unknown[0], order=order)
        )
    bias_swapped = [g for g, key in b_read.items() if key is not None and key[0] != torch_name[g]]
    if bias_swapped:
        return named(
            "torch_bias_rows",
            case.where,
            _(
                "your b_{gate} holds PyTorch's {rows} rows. {order}, in the biases as in the "
                "weights."
            ).format(gate=bias_swapped[0], rows=b_read[bias_swapped[0]][0], order=order),
        )
    one_bias = [g for g, key in b_read.items() if key is not None and key[1] != "both"]
    if one_bias:
        return named(
            "torch_bias",
            case.where,
            _(
                "your b_{gate} is {bias} alone. PyTorch adds two biases, "
                "bias_ih and bias_hh; the article's one b is their sum."
            ).format(gate=one_bias[0], bias=b_read[one_bias[0]][1]),
        )
    unknown = [gate for gate, key in b_read.items() if key is None]
    if unknown:
        return mistake(
            _(
                "Not yet ({where}): b_{gate} matches no rows of bias_ih + bias_hh. "
                "{order}; b = bias_ih + bias_hh, rows of its gate."
            ).format(where=case.where, gate=unknown[0], order=order)
        )
    return None


# --- Predict before you run ----------------------------------------------------------------------

predict_keep_everything = Prediction(
    question=N_(
        "Every value of f_t goes to 1 (keep everything). Which unit of f_t ⊙ C_{t-1} grows "
        "most? Answer 1, 2 or 3, the units of section 4."
    ),
    answer=2,
    choices=(1, 2, 3),
    wrong={
        1: N_("unit 1 keeps half of its 0.5 today, so it gains 0.25 — look at what unit 2 loses."),
        3: N_(
            "unit 3 has the largest f_t and keeps the most today, but it already keeps 80 %: its "
            "gain is only the 20 % that it forgets. The gain of unit k is (1 − f_{t,k})·C_{t-1,k}."
        ),
    },
)
"""06: the gain of unit k is (1 − f_{t,k})·C_{t-1,k}: [0.25, 0.54, 0.08] — unit 2."""

predict_fifty_steps = Prediction(
    question=N_(
        "Nothing is written for 50 steps and f_t is the same in every unit and at every step. How "
        "close to 1 must f_t be for half of C_{t-1} to be left after the 50 steps? Answer 0.9, "
        "0.95, 0.986 or 0.999."
    ),
    answer=0.986,
    choices=(0.9, 0.95, 0.986, 0.999),
    wrong={
        0.9: N_(
            "each step keeps 0.9 of what the previous step kept, not of C_{t-1}: the fractions "
            "multiply, and fifty 0.9s leave about 0.005."
        ),
        0.95: N_("0.95 multiplied fifty times leaves less than a tenth: 0.95⁵⁰ ≈ 0.08."),
        0.999: N_(
            "0.999 keeps more than half — 0.999⁵⁰ ≈ 0.95. Half needs f_t⁵⁰ = 0.5, so f_t is the "
            "50th root of 0.5."
        ),
    },
)
"""07: f_t⁵⁰ = 0.5 at f_t = 0.5 ** (1 / 50) ≈ 0.986."""

predict_h_bounded = Prediction(
    question=N_(
        "The gates stay open (≈ 0.993) for 100 steps with input 0, so C_t grows far beyond 1. "
        "Does any |h_t| reach 1? Answer True or False."
    ),
    answer=False,
    choices=(True, False),
    wrong={
        True: N_(
            "C_t grows far beyond 1 (towards 143 here), but h_t = o_t ⊙ tanh(C_t): tanh keeps "
            "every value inside (−1, 1) and o_t is below 1."
        ),
    },
)
"""08: |h_t| = |o_t ⊙ tanh(C_t)| < 1 however large C_t grows."""


# --- 06: the forget gate over a sequence --------------------------------------------------------

SEQUENCE_MISCONCEPTIONS: dict[str, str] = {
    "state_not_carried": N_("The cell state not carried from step to step"),
    "initial_state_stacked": N_("C_0 stacked as an output"),
    "last_state_only": N_("Only the last C_T returned"),
    "h_of_the_wrong_step": N_("Each step read the h of another step"),
    "concat_order": MISCONCEPTIONS["concat_order"],
    "bias_missing": MISCONCEPTIONS["bias_missing"],
    "forget_gate_inverted": MISCONCEPTIONS["forget_gate_inverted"],
    "outputs_swapped": MISCONCEPTIONS["outputs_swapped"],
}
MISCONCEPTIONS.update(SEQUENCE_MISCONCEPTIONS)
RECOGNISED["check_forget_sequence"] = tuple(SEQUENCE_MISCONCEPTIONS)
MISCONCEPTION_FIXES.update(
    {
        "state_not_carried": "C_t = f_t * C_t  # this step's C_t is the next step's C_{t-1}",
        "initial_state_stacked": "cs = []  # C_1 … C_T, not C_0",
        "last_state_only": "cs.append(C_t)  # every step; then np.stack(cs)",
        "h_of_the_wrong_step": "for h_prev, x_t in zip(hs, xs):  # row t together",
    }
)
FIXES["check_forget_sequence"] = N_(
    "no code for a mistake the check cannot name: compute step 1 by hand — f_1 from hs[0] and "
    "xs[0], then f_1 ⊙ C_0 — and compare both with the first rows of yours."
)
ANSWERS["check_forget_sequence"] = ANSWERS["check_forget_gate"] | {
    "lstm_course.lstm.lstm_unroll": N_("the LSTM cell run over a sequence")
}


class SequenceCase(NamedTuple):
    """One case of the forget gate over a sequence: hs (T, H), xs (T, D), C_0 (H,), W_f, b_f."""

    where: str
    hs: np.ndarray
    xs: np.ndarray
    C_0: np.ndarray
    W_f: np.ndarray
    b_f: np.ndarray


def sequence_cases(seed: int = 0) -> list[SequenceCase]:
    """seed 0: T = 4 steps from the article's C_{t-1}, h_{t-1} and x_t (then seeded values),
    3×6 weights N(0, 1) and the article's b_f = logit([0.5, 0.1, 0.8]). Any other seed: two
    hidden cases with H ≠ D and T from 3 to 7, every value from default_rng(seed)."""
    from lstm_course.activations import logit

    rng = np.random.default_rng(seed)
    if seed == 0:
        we = worked_example
        hs = np.vstack([we.h_prev, rng.uniform(-1, 1, (3, 3))])
        xs = np.vstack([we.x_t, rng.normal(0.0, 1.0, (3, 3))])
        W_f = rng.normal(0.0, 1.0, (3, 6))
        where = _("on the article's numbers, then 3 more steps: T = 4, H = D = 3")
        return [SequenceCase(where, hs, xs, we.C_prev.copy(), W_f, logit(we.f_t))]
    cases = []
    for H, D in other_sizes(rng):
        T = int(rng.integers(3, 8))
        cases.append(
            SequenceCase(
                _("on a hidden case with T = {T}, H = {H}, D = {D}").format(T=T, H=H, D=D),
                rng.uniform(-1, 1, (T, H)),
                rng.normal(0.0, 1.0, (T, D)),
                rng.normal(0.0, 1.0, H),
                rng.normal(0.0, 1.0, (H, H + D)),
                rng.normal(0.0, 1.0, H),
            )
        )
    return cases


def forget_sequence_reference(hs, xs, C_0, W_f, b_f) -> tuple[np.ndarray, np.ndarray]:
    """(f, C), each (T, H): step t reads row t of hs and xs, f_t = σ(W_f·[h, x_t] + b_f) and
    C_t = f_t ⊙ C_{t-1} from C_0 (nothing written: the forget gate alone)."""
    return _forget_sequence(hs, xs, C_0, W_f, b_f)


def _forget_sequence(
    hs, xs, C_0, W_f, b_f, *, order="hx", bias=True, invert=False, carry=True, hs_shift=0
) -> tuple[np.ndarray, np.ndarray]:
    C_t, fs, cs = C_0, [], []
    hs = np.roll(hs, -hs_shift, axis=0) if hs_shift else hs
    for h, x in zip(hs, xs, strict=True):
        v = np.concatenate([h, x] if order == "hx" else [x, h])
        f_t = sigmoid(W_f @ v + (b_f if bias else 0.0))
        f_t = 1.0 - f_t if invert else f_t
        C_t = f_t * (C_t if carry else C_0)
        fs.append(f_t)
        cs.append(C_t)
    return np.stack(fs), np.stack(cs)


_SEQUENCE_HINTS = {
    "state_not_carried": N_(
        "every step multiplied C_0. The belt carries its value on: this step's C_t is the next "
        "step's C_{t-1}, so after two steps unit k holds f_{2,k}·f_{1,k}·C_{0,k}."
    ),
    "initial_state_stacked": N_(
        "C_0 is where the belt starts, not an output: the rows are C_1 … C_T, one per step."
    ),
    "last_state_only": N_("give back every C_t, one row per step, not only the last."),
    "h_of_the_wrong_step": N_(
        "step t (counted from 1) reads row t − 1 of hs and of xs together: hs already holds "
        "each step's h_{t-1}; don't shift it again."
    ),
    "concat_order": N_(
        "the article joins h_{t-1} first, [h_{t-1}, x_t]: the first H columns of W_f are the "
        "weights for h_{t-1}."
    ),
    "bias_missing": N_("the layer is σ(W_f·[h_{t-1}, x_t] + b_f): add b_f inside."),
    "forget_gate_inverted": N_(
        "you used 1 − σ(…), the fraction forgotten. Despite its name, the forget gate says how "
        "much to keep: f_t = 1 keeps all of C_{t-1}."
    ),
    "outputs_swapped": N_("your first result is C and your second f: f comes first."),
}


def check_forget_sequence(
    forget_over_sequence: Callable[..., Any] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Check ``forget_over_sequence(hs, xs, C_0, W_f, b_f) -> (f, C)``: hs (T, H), xs (T, D),
    C_0 (H,), W_f (H, H + D), b_f (H,); f and C (T, H), row t the f_t and C_t = f_t ⊙ C_{t-1}
    of step t (nothing written). Recognises ``RECOGNISED["check_forget_sequence"]``."""

    def judge(case: SequenceCase) -> Feedback | None:
        args = (case.hs, case.xs, case.C_0, case.W_f, case.b_f)
        result = _call(forget_over_sequence, "check_forget_sequence", args, case.where)
        f, C = two_results(result, ("f", "C"), case.where)
        right_f, right_C = forget_sequence_reference(*args)
        T, H = right_f.shape
        if close(f, right_f) and close(C, right_C):
            return None
        if close(f, right_C) and close(C, right_f):
            return _sequence_named("outputs_swapped", case.where, fix="return f, C")
        if C.shape == (T + 1, H) and close(C[1:], right_C):
            return _sequence_named("initial_state_stacked", case.where)
        if C.shape == (H,) and close(C, right_C[-1]):
            return _sequence_named("last_state_only", case.where)
        variants = {
            "state_not_carried": {"carry": False},
            "h_of_the_wrong_step": {"hs_shift": -1},  # hs[t - 1] in a loop over t = 0 … T − 1
            "concat_order": {"order": "xh"},
            "bias_missing": {"bias": False},
            "forget_gate_inverted": {"invert": True},
        }
        for key, how in [*variants.items(), ("h_of_the_wrong_step", {"hs_shift": 1})]:
            wrong_f, wrong_C = _forget_sequence(*args, **how)
            if close(f, wrong_f) and close(C, wrong_C):
                return _sequence_named(key, case.where)
        for name, yours in (("f", f), ("C", C)):
            if yours.shape != (T, H):
                return mistake(
                    _(
                        "Wrong shape ({where}): your {name} has shape {shape}; expected "
                        "(T, H) = ({T}, {H}), one row per step."
                    ).format(where=case.where, name=name, shape=yours.shape, T=T, H=H)
                )
        bad = ~(np.isclose(f, right_f, atol=TOLERANCE) & np.isclose(C, right_C, atol=TOLERANCE))
        row = int(np.argmax(bad.any(axis=1)))
        return mistake(
            _(
                "Not yet ({where}): rows 0 to {last} are right, row {row} (step {step}) is not: "
                "yours f = {f_row}, C = {C_row}; expected f = {f_right}, C = {C_right}."
            ).format(
                where=case.where,
                last=row - 1,
                row=row,
                step=row + 1,
                f_row=np.round(f[row], 3),
                C_row=np.round(C[row], 3),
                f_right=np.round(right_f[row], 3),
                C_right=np.round(right_C[row], 3),
            )
            if row > 0
            else _(
                "Not yet ({where}): already step 1 (row 0) is wrong: yours f = {f_row}, "
                "C = {C_row}; expected f = {f_right}, C = {C_right}."
            ).format(
                where=case.where,
                f_row=np.round(f[0], 3),
                C_row=np.round(C[0], 3),
                f_right=np.round(right_f[0], 3),
                C_right=np.round(right_C[0], 3),
            )
        )

    return check_cases(
        forget_over_sequence,
        "forget_over_sequence(hs, xs, C_0, W_f, b_f)",
        sequence_cases(seed),
        judge,
        _(
            "Correct: at every step f_t = σ(W_f·[h_{t-1}, x_t] + b_f), and the belt carries "
            "C_t = f_t ⊙ C_{t-1} on — the fractions kept multiply, step after step."
        ),
        show_fix,
        _(FIXES["check_forget_sequence"]),
    )


def _sequence_named(key: str, where: str, fix: str | None = None) -> Feedback:
    if fix is None:
        fix = {
            "concat_order": "hx = np.concatenate([h_prev, x_t])  # h first",
            "bias_missing": "f_t = sigmoid(W_f @ hx + b_f)  # the bias inside",
        }.get(key) or MISCONCEPTION_FIXES[key]
    return named(key, where, _(_SEQUENCE_HINTS[key]), MISCONCEPTIONS, fix)
