"""The checks for notebook 01: one neuron's output predicted, the article's sigmoid layer, two.

    01  sigmoid_layer(hx, W, b) -> σ(W·hx + b)
            hx (n,), W (m, n), b (m,) -> (m,): m neurons side by side, one row of W each
    01  two_layers(x, W_1, b_1, W_2, b_2) -> σ(W_2·tanh(W_1·x + b_1) + b_2)
            x (n,), W_1 (H, n), b_1 (H,), W_2 (m, H), b_2 (m,) -> (m,): a hidden tanh layer,
            then a sigmoid layer

``check_two_layers`` runs the same way (seed 0: a network whose hidden layer is as wide as its
input, then the notebook's 3 → 4 → 2; other seeds: other sizes) and names the hidden
activation left out (two linear layers are one), σ and tanh swapped, the hidden layer skipped,
a layer fed the wrong vector, the biases swapped.

The check runs the student's layer on hidden cases — seed 0: the article's
[h_{t-1}, x_t] (6 values in, 3 out) and a square layer where W and its transpose both fit;
any other seed: other sizes (m ≠ n, a single neuron, a wider layer) and other values — and,
when the answer is wrong, recomputes the layer with each known mistake to name the one the
student made. A wrong answer's message starts with the misconception's name from
``MISCONCEPTIONS`` and gives a hint in the article's words; ``show_fix=True`` adds the right
code. ``RECOGNISED[check name]`` lists what each check names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

import numpy as np

from lstm_course import worked_example
from lstm_course.activations import relu, sigmoid, tanh
from lstm_course.exercises.checking import (
    CheckEndedError,
    ErrorHints,
    Misconception,
    as_array,
    call_student,
    check_cases,
    close,
    mistake,
    named,
)
from lstm_course.exercises.feedback import Feedback
from lstm_course.exercises.forbidding import forbidden
from lstm_course.exercises.predicting import Prediction
from lstm_course.i18n import N_, _

TOLERANCE = 1e-6

FIX = ""
"""No fix for a failure that names no misconception: its message points at what to compare by
hand. Each misconception carries its own fix, the line of that mistake only (``show_fix=True``)."""

TWO_LAYERS_FIX = ""
"""As ``FIX``: the two-layer check's fixes are its misconceptions' own."""

ANSWERS = {"lstm_course.neuron.dense_layer": N_("a layer of neurons, act(W·x + b)")}
"""The package's answer, off-limits while a check runs the student's layer (``forbidden``)."""

MISCONCEPTIONS: dict[str, Misconception] = {
    "sigma_function": Misconception(
        N_("The σ function applied instead of the sigmoid layer"),
        N_(
            "σ alone works value by value, n values in and n out; a sigmoid layer first mixes all "
            "n values with W (m×n) and adds b, then applies σ to the m sums."
        ),
        "z = W @ hx + b  # the m weighted sums σ is applied to, not hx",
    ),
    "elementwise_product": Misconception(
        N_("W times hx value by value instead of a matrix product"),
        N_(
            "the output has the shape of W. Each neuron (a row of W) weighs every input and sums "
            "the products: W·hx is the matrix–vector product, one sum per row."
        ),
        "W @ hx  # the matrix product, not W * hx",
    ),
    "wrong_orientation": Misconception(
        N_("W used the wrong way round"),
        N_(
            "each *row* of W is one neuron and meets all n values of hx, so the product is W·hx "
            "(rows of W against hx), not hx·W and not with W transposed."
        ),
        "W @ hx  # rows of W against hx, not hx @ W or W.T @ hx",
    ),
    "bias_on_input": Misconception(
        N_("The bias added to the inputs instead of the weighted sums"),
        N_(
            "one bias per neuron, one value of hx per input: b is added to the weighted sums "
            "W·hx, inside σ."
        ),
        "W @ hx + b  # b added to the sums, not W @ (hx + b)",
    ),
    "weights_missing": Misconception(
        N_("W left out: the bias added to the inputs"),
        N_(
            "σ(hx + b) skips the weights: each neuron first weighs every input with its row of W "
            "and sums, W·hx; b is added to those sums."
        ),
        "W @ hx + b  # not hx + b",
    ),
    "bias_missing": Misconception(
        N_("The bias left out"),
        N_("the layer is σ(W·hx + b), not σ(W·hx): each neuron adds its own b_k before σ."),
        "W @ hx + b  # each neuron adds its b_k",
    ),
    "bias_outside": Misconception(
        N_("The bias added after the activation"),
        N_("the bias goes inside, σ(W·hx + b), so every output stays in (0, 1)."),
        "sigmoid(… + b)  # b inside σ, not after it",
    ),
    "no_activation": Misconception(
        N_("The activation left out"),
        N_("you returned the weighted sums z = W·hx + b; a sigmoid layer applies σ to them."),
        "sigmoid(z)  # not z alone",
    ),
    "tanh_for_sigma": Misconception(
        N_("tanh where σ belongs"),
        N_("a sigmoid layer squashes into (0, 1) with σ; tanh squashes into (−1, 1)."),
        "sigmoid(z)  # not tanh(z)",
    ),
    "relu": Misconception(
        N_("ReLU instead of σ"),
        N_("a sigmoid layer applies σ to W·hx + b; ReLU is only notebook 01's comparison."),
        "sigmoid(z)  # not relu(z)",
    ),
    # two layers, y = σ(W_2·tanh(W_1·x + b_1) + b_2)
    "hidden_activation_missing": Misconception(
        N_("The hidden layer's activation left out"),
        N_(
            "without tanh between them the two layers collapse into one linear layer, "
            "W_2·(W_1·x + b_1) + b_2 = (W_2·W_1)·x + (W_2·b_1 + b_2): apply tanh to the hidden "
            "layer's sums before the second layer reads them."
        ),
        "a = tanh(W_1 @ x + b_1)  # the hidden layer's tanh",
    ),
    "output_activation_missing": Misconception(
        N_("The output layer's σ left out"),
        N_(
            "the second layer is a sigmoid layer too: σ of its weighted sums, so every output "
            "lies in (0, 1)."
        ),
        "sigmoid(W_2 @ a + b_2)  # σ on the output layer",
    ),
    "activations_swapped": Misconception(
        N_("σ and tanh swapped between the layers"),
        N_(
            "the hidden layer squashes with tanh, into (−1, 1); "
            "the output layer with σ, into (0, 1)."
        ),
        "a = tanh(...)  # hidden layer; sigmoid(...) on the output layer",
    ),
    "sigma_in_hidden_layer": Misconception(
        N_("σ in the hidden layer where tanh belongs"),
        N_("the hidden layer squashes with tanh, into (−1, 1), not with σ."),
        "a = tanh(W_1 @ x + b_1)  # not sigmoid",
    ),
    "tanh_on_output": Misconception(
        N_("tanh on the output layer where σ belongs"),
        N_(
            "the output layer is a sigmoid layer: σ of its weighted sums, so every output lies "
            "in (0, 1); tanh belongs to the hidden layer only."
        ),
        "sigmoid(W_2 @ a + b_2)  # not tanh",
    ),
    "hidden_layer_skipped": Misconception(
        N_("The second layer fed x instead of the hidden layer's output"),
        N_("layers are stacked: W_2 reads the H values the hidden layer gives, not the n inputs."),
        "W_2 @ a  # a, the hidden layer's output, not x",
    ),
    "layer_reads_wrong_vector": Misconception(
        N_("A layer fed the wrong vector"),
        N_(
            "W_1 (H×n) reads the n inputs x; W_2 (m×H) reads the H outputs of the hidden layer, "
            "in that order."
        ),
        "W_1 @ x  # then W_2 @ a, a = the hidden layer's output",
    ),
    "biases_swapped": Misconception(
        N_("The two layers' biases swapped"),
        N_(
            "b_1 has one value per hidden neuron (H) and belongs to the first layer; b_2 has one "
            "per output (m) and belongs to the second."
        ),
        "W_1 @ x + b_1  # and W_2 @ a + b_2",
    ),
}
"""Every mistake notebook 01's checks name: its name, a hint without code, the fix."""

_LAYER_MISTAKES = (
    "sigma_function",
    "elementwise_product",
    "wrong_orientation",
    "bias_on_input",
    "weights_missing",
    "bias_missing",
    "bias_outside",
    "no_activation",
    "tanh_for_sigma",
    "relu",
)
RECOGNISED: dict[str, tuple[str, ...]] = {
    "check_sigmoid_layer": _LAYER_MISTAKES,
    "check_two_layers": tuple(k for k in MISCONCEPTIONS if k not in _LAYER_MISTAKES),
}
"""Which misconceptions each check names (keys of ``MISCONCEPTIONS``)."""

__all__ = [
    "FIX",
    "TWO_LAYERS_FIX",
    "MISCONCEPTIONS",
    "RECOGNISED",
    "LayerCase",
    "TwoLayerCase",
    "check_sigmoid_layer",
    "check_two_layers",
    "layer_cases",
    "two_layer_cases",
    "predict_neuron_output",
]

SigmoidLayer = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


# --- Predict before you run ---------------------------------------------------------------------

predict_neuron_output = Prediction(
    question=(
        N_(
            "x = (0.5, −1, 2), w = (0.8, 0.2, −0.5), b = 0.1: is the neuron's output "
            "σ(w·x + b) above or below 0.5?"
        )
    ),
    answer="below",
    choices=("above", "below"),
    wrong={
        "above": N_(
            "σ(z) is above 0.5 only when z = w·x + b is positive. Add up the three "
            "products w_k·x_k and the bias: which sign does the sum have?"
        )
    },
)
"""Notebook 01, before the neuron is computed: z = 0.4 − 0.2 − 1.0 + 0.1 = −0.7 < 0."""


# --- The sigmoid layer ----------------------------------------------------------------------


class LayerCase(NamedTuple):
    """One hidden test: hx (n,), W (m, n), b (m,)."""

    name: str
    hx: np.ndarray
    W: np.ndarray
    b: np.ndarray


def layer_cases(seed: int = 0) -> list[LayerCase]:
    """The cases of one seed.

    Seed 0: the article's 6-vector with seeded 3×6 weights, then a square case (3 in, 3 out),
    where W and its transpose both fit and only the values tell them apart. Any other seed:
    a layer with m ≠ n, a single neuron (m = 1) and a square layer, sizes and values drawn
    from ``np.random.default_rng(seed)``.
    """
    if seed == 0:
        rng = np.random.default_rng(2024)
        return [
            LayerCase(
                N_("the article's [h_{t-1}, x_t]"),
                worked_example.hx.copy(),
                np.round(rng.normal(0.0, 0.5, (3, 6)), 2),
                np.array([0.5, -2.0, 1.5]),
            ),
            LayerCase(
                N_("a square layer (3 in, 3 out)"),
                rng.normal(size=3),
                rng.normal(size=(3, 3)),
                rng.normal(size=3),
            ),
        ]
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    m = int(rng.choice([k for k in range(2, 9) if k != n]))
    k = int(rng.integers(2, 6))
    sizes = [
        (m, n, _("a layer of {m} neurons on {n} inputs").format(m=m, n=n)),
        (1, n, _("one neuron on {n} inputs").format(n=n)),
    ]
    sizes.append((k, k, _("a square layer ({k} in, {k} out)").format(k=k)))
    return [
        LayerCase(name, rng.normal(size=cols), rng.normal(size=(rows, cols)), rng.normal(size=rows))
        for rows, cols, name in sizes
    ]


def check_sigmoid_layer(
    sigmoid_layer: SigmoidLayer | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Run ``sigmoid_layer(hx, W, b)`` on the cases of ``seed``; expected σ(W·hx + b), (m,).

    ``None`` (the exercise not started) gets a sentence rather than an error.
    """

    def judge(case: LayerCase) -> Feedback | None:
        where = _("on {name}").format(name=_(case.name))
        with forbidden(sigmoid_layer, ANSWERS), _own_fix():
            result = call_student(sigmoid_layer, (case.hx, case.W, case.b), where, _hints(case))
        return _judge_layer(as_array(result, "σ(W·hx + b)", where), case, where)

    n_out, n_in = layer_cases(seed)[0].W.shape
    return check_cases(
        sigmoid_layer,
        "sigmoid_layer(hx, W, b)",
        layer_cases(seed),
        judge,
        _(
            "Correct: σ(W·hx + b) turns the {n_in} values into {n_out}, one neuron per row of W."
        ).format(n_in=n_in, n_out=n_out),
        show_fix,
        FIX,
    )


@contextmanager
def _own_fix() -> Iterator[None]:
    """A numpy error read as a misconception (``ErrorHints``) carries that misconception's fix."""
    try:
        yield
    except CheckEndedError as ended:
        feedback = ended.feedback
        for entry in MISCONCEPTIONS.values():
            if not feedback.fix and feedback.message.startswith(_(entry.name)):
                raise CheckEndedError(feedback._replace(fix=entry.fix)) from None
        raise


def _named(key: str, where: str, hint: str = "") -> Feedback:
    return named(key, where, hint, MISCONCEPTIONS)


def _hints(case: LayerCase) -> ErrorHints:
    """How numpy's errors read for a layer with W (m, n): a failed product is W the wrong way
    round; a failed broadcast is b added where it does not fit."""
    n_out, n_in = case.W.shape
    orientation = MISCONCEPTIONS["wrong_orientation"]
    on_input = MISCONCEPTIONS["bias_on_input"]

    def diagnose(error: str, where: str) -> Feedback | None:
        """W * hx has W's shape: a sum that fails with an (m, n) operand is the elementwise
        product meeting b, not b added to the inputs."""
        if f"({n_out},{n_in})" in error.replace(" ", ""):
            return _named(
                "elementwise_product",
                where,
                _(
                    "W * hx gave an array of W's shape ({n_out}, {n_in}), which b ({n_out},) "
                    "cannot be added to. Each neuron (a row of W) weighs every input and sums the "
                    "products: W·hx is the matrix–vector product, one sum per row."
                ).format(n_out=n_out, n_in=n_in),
            )
        return None

    return ErrorHints(
        matmul=(
            _(
                "{orientation_name} ({{where}}): the product failed ({{error}}). W is ({n_out}, "
                "{n_in}) and hx is ({n_in},): {orientation_hint}"
            ).format(
                orientation_name=_(orientation.name),
                n_out=n_out,
                n_in=n_in,
                orientation_hint=_(orientation.hint),
            )
        ),
        broadcast=(
            _(
                "{on_input_name} ({{where}}): the shapes do not fit ({{error}}); b has {n_out} "
                "values and hx {n_in}: {on_input_hint}"
            ).format(
                on_input_name=_(on_input.name),
                n_out=n_out,
                n_in=n_in,
                on_input_hint=_(on_input.hint),
            )
        ),
        diagnose=diagnose,
    )


def _judge_layer(out: np.ndarray, case: LayerCase, where: str) -> Feedback | None:
    """None if the student's layer output ``out`` is right on ``case``; else what is wrong."""
    hx, W, b = case.hx, case.W, case.b
    n_out, n_in = W.shape
    if n_out != n_in and close(out, sigmoid(hx)):
        return _named(
            "sigma_function",
            where,
            _(
                "you applied σ to hx: {out_size} outputs, expected {n_out}. σ alone works value "
                "by value; a sigmoid layer first mixes all {n_in} values with W ({n_out}×{n_in}) "
                "and adds b, then applies σ."
            ).format(out_size=out.size, n_out=n_out, n_in=n_in),
        )
    if out.shape == W.shape:
        return _named(
            "elementwise_product",
            where,
            _("your output has shape {out_shape}, W's.").format(out_shape=out.shape),
        )
    if out.shape != (n_out,):
        return mistake(
            _(
                "Your output has shape {out_shape} ({where}); expected ({n_out},), one value per "
                "row of W ({n_out}×{n_in})."
            ).format(out_shape=out.shape, where=where, n_out=n_out, n_in=n_in)
        )
    z = W @ hx + b
    if close(out, sigmoid(z)):
        return None
    known = {
        "bias_missing": sigmoid(W @ hx),
        "bias_outside": sigmoid(W @ hx) + b,
        "no_activation": z,
        "tanh_for_sigma": tanh(z),
        "relu": relu(z),
    }
    if n_out == n_in:  # only a square W fits both ways round
        known["wrong_orientation"] = sigmoid(W.T @ hx + b)
        known["bias_on_input"] = sigmoid(W @ (hx + b))
        known["weights_missing"] = sigmoid(hx + b)
        known["sigma_function"] = sigmoid(hx)
    for key, candidate in known.items():
        if close(out, candidate):
            return _named(key, where)
    return mistake(
        _("Your output {out} differs from σ(W·hx + b) = {sigmoid_z} ({where}).").format(
            out=np.round(out, 3), sigmoid_z=np.round(sigmoid(z), 3), where=where
        )
    )


# --- Two layers -----------------------------------------------------------------------------


class TwoLayerCase(NamedTuple):
    """One hidden test: x (n,), W_1 (H, n), b_1 (H,), W_2 (m, H), b_2 (m,)."""

    name: str
    x: np.ndarray
    W_1: np.ndarray
    b_1: np.ndarray
    W_2: np.ndarray
    b_2: np.ndarray


def two_layer_cases(seed: int = 0) -> list[TwoLayerCase]:
    """Seed 0: 3 → 3 → 2 (a hidden layer as wide as the input, where the second layer could
    read x by mistake), then the notebook's 3 → 4 → 2; values from ``default_rng(2026)``. Any
    other seed: H → H → m, then n → H → m with n, H, m all different, drawn from
    ``np.random.default_rng(seed)``."""
    rng = np.random.default_rng(2026 if seed == 0 else seed)
    if seed == 0:
        sizes = [(3, 3, 2), (3, 4, 2)]
    else:
        n, H, m = (int(k) for k in rng.choice(np.arange(1, 9), size=3, replace=False) + 1)
        sizes = [(H, H, m), (n, H, m)]
    cases = []
    for n, H, m in sizes:
        name = _("a network {n} → {H} → {m}").format(n=n, H=H, m=m)
        cases.append(
            TwoLayerCase(
                name,
                rng.normal(size=n),
                rng.normal(size=(H, n)),
                rng.normal(size=H),
                rng.normal(size=(m, H)),
                rng.normal(size=m),
            )
        )
    return cases


def check_two_layers(
    two_layers: Callable[..., np.ndarray] | None, show_fix: bool = False, *, seed: int = 0
) -> Feedback:
    """Run ``two_layers(x, W_1, b_1, W_2, b_2)`` on the cases of ``seed``; expected
    σ(W_2·tanh(W_1·x + b_1) + b_2), shape (m,)."""

    def judge(case: TwoLayerCase) -> Feedback | None:
        where = _("on {name}").format(name=_(case.name))
        args = (case.x, case.W_1, case.b_1, case.W_2, case.b_2)
        with forbidden(two_layers, ANSWERS), _own_fix():
            result = call_student(two_layers, args, where, _two_layer_hints(case))
        out = as_array(result, "y", where)
        x, W_1, b_1, W_2, b_2 = args
        expected = sigmoid(W_2 @ tanh(W_1 @ x + b_1) + b_2)
        if close(out, expected):
            return None
        m = len(b_2)
        if out.shape != (m,):
            return mistake(
                _(
                    "Your output has shape {out_shape} ({where}); expected ({m},), one value per "
                    "neuron of the output layer (W_2 is {W_2_shape_0}×{W_2_shape_1})."
                ).format(
                    out_shape=out.shape,
                    where=where,
                    m=m,
                    W_2_shape_0=W_2.shape[0],
                    W_2_shape_1=W_2.shape[1],
                )
            )
        known = {
            "hidden_activation_missing": sigmoid(W_2 @ (W_1 @ x + b_1) + b_2),
            "output_activation_missing": W_2 @ tanh(W_1 @ x + b_1) + b_2,
            "activations_swapped": tanh(W_2 @ sigmoid(W_1 @ x + b_1) + b_2),
            "sigma_in_hidden_layer": sigmoid(W_2 @ sigmoid(W_1 @ x + b_1) + b_2),
            "tanh_on_output": tanh(W_2 @ tanh(W_1 @ x + b_1) + b_2),
        }
        if W_2.shape[1] == len(x):
            known["hidden_layer_skipped"] = sigmoid(W_2 @ x + b_2)
        for key, candidate in known.items():
            if close(out, candidate):
                return _named(key, where)
        return mistake(
            _(
                "Your output {out} differs from σ(W_2·tanh(W_1·x + b_1) + b_2) = {expected} "
                "({where})."
            ).format(out=np.round(out, 3), expected=np.round(expected, 3), where=where)
        )

    return check_cases(
        two_layers,
        "two_layers(x, W_1, b_1, W_2, b_2)",
        two_layer_cases(seed),
        judge,
        _(
            "Correct: the hidden layer's tanh keeps the two layers from collapsing into one; "
            "the output layer's σ puts every output in (0, 1)."
        ),
        show_fix,
        TWO_LAYERS_FIX,
    )


def _two_layer_hints(case: TwoLayerCase) -> ErrorHints:
    """A failed product is a layer fed the wrong vector; a failed sum, the biases swapped."""
    H, n = case.W_1.shape
    m = case.W_2.shape[0]
    wrong_vector = MISCONCEPTIONS["layer_reads_wrong_vector"]
    swapped = MISCONCEPTIONS["biases_swapped"]
    return ErrorHints(
        matmul=(
            _(
                "{wrong_vector_name} ({{where}}): a product failed ({{error}}). Here n = {n}, H "
                "= {H}, m = {m}: {wrong_vector_hint}"
            ).format(
                wrong_vector_name=_(wrong_vector.name),
                n=n,
                H=H,
                m=m,
                wrong_vector_hint=_(wrong_vector.hint),
            )
        ),
        broadcast=(
            _(
                "{swapped_name} ({{where}}): a sum failed ({{error}}). Here H = {H} and m = {m}: "
                "{swapped_hint}"
            ).format(swapped_name=_(swapped.name), H=H, m=m, swapped_hint=_(swapped.hint))
        ),
    )
