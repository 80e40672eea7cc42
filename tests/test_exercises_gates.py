"""Tests for lstm_course.exercises.gates: each check passes a right answer, names each mistake.

Every misconception a check lists in RECOGNISED is fed to it as a student function written the
way a student would write it, and the message must name that misconception.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_course import lstm, torch_bridge
from lstm_course.activations import relu, sigmoid, tanh
from lstm_course.exercises import gates
from lstm_course.exercises.feedback import Feedback
from lstm_course.exercises.gates import (
    FIXES,
    MISCONCEPTIONS,
    RECOGNISED,
    check_article_weights,
    check_cell_update,
    check_forget_gate,
    check_input_gate_and_candidate,
    check_output_gate_and_hidden_state,
    predict_fifty_steps,
    predict_h_bounded,
    predict_keep_everything,
    recognised,
)
from lstm_course.lstm import LSTMParams, lstm_cell
from lstm_course.torch_bridge import lstm_params_from_torch


def hx_of(h_prev, x_t):
    return np.concatenate([h_prev, x_t])


def xh_of(h_prev, x_t):
    return np.concatenate([x_t, h_prev])


# --- 06: f_t ------------------------------------------------------------------------------------


def f_right(h_prev, x_t, W_f, b_f):
    return sigmoid(W_f @ hx_of(h_prev, x_t) + b_f)


FORGET_MISTAKES = {
    "sigma_function": lambda h_prev, x_t, W_f, b_f: sigmoid(hx_of(h_prev, x_t)),
    "tanh_for_sigma": lambda h_prev, x_t, W_f, b_f: tanh(W_f @ hx_of(h_prev, x_t) + b_f),
    "elementwise_product": lambda h_prev, x_t, W_f, b_f: sigmoid(W_f * hx_of(h_prev, x_t)),
    "concat_order": lambda h_prev, x_t, W_f, b_f: sigmoid(W_f @ xh_of(h_prev, x_t) + b_f),
    "relu": lambda h_prev, x_t, W_f, b_f: relu(W_f @ hx_of(h_prev, x_t) + b_f),
    "no_activation": lambda h_prev, x_t, W_f, b_f: W_f @ hx_of(h_prev, x_t) + b_f,
    "bias_missing": lambda h_prev, x_t, W_f, b_f: sigmoid(W_f @ hx_of(h_prev, x_t)),
    "bias_outside": lambda h_prev, x_t, W_f, b_f: sigmoid(W_f @ hx_of(h_prev, x_t)) + b_f,
}
OUTPUT_GATE_MISTAKES = dict(FORGET_MISTAKES)  # o_t's layer: the same mistakes, minus 1 − σ
FORGET_MISTAKES["forget_gate_inverted"] = lambda h_prev, x_t, W_f, b_f: (
    1 - f_right(h_prev, x_t, W_f, b_f)
)


# --- 07: i_t, C̃_t and C_t ---------------------------------------------------------------------


def i_and_C_tilde(i_act=sigmoid, C_act=tanh, order=hx_of, bias=True, swap_weights=False):
    """A student's compute_i_t_and_C_tilde with the given choices."""

    def compute(h_prev, x_t, W_i, b_i, W_C, b_C):
        if swap_weights:
            W_i, b_i, W_C, b_C = W_C, b_C, W_i, b_i
        v = order(h_prev, x_t)
        scale = 1.0 if bias else 0.0
        return i_act(W_i @ v + scale * b_i), C_act(W_C @ v + scale * b_C)

    return compute


def tanh_function_candidate(h_prev, x_t, W_i, b_i, W_C, b_C):
    return sigmoid(W_i @ hx_of(h_prev, x_t) + b_i), tanh(hx_of(h_prev, x_t))


def sigma_function_gate(h_prev, x_t, W_i, b_i, W_C, b_C):
    return sigmoid(hx_of(h_prev, x_t)), tanh(W_C @ hx_of(h_prev, x_t) + b_C)


def elementwise_gate(h_prev, x_t, W_i, b_i, W_C, b_C):
    i_t, C_tilde = i_and_C_tilde()(h_prev, x_t, W_i, b_i, W_C, b_C)
    return sigmoid(W_i * hx_of(h_prev, x_t)), C_tilde


def relu_candidate(h_prev, x_t, W_i, b_i, W_C, b_C):
    return i_and_C_tilde(C_act=relu)(h_prev, x_t, W_i, b_i, W_C, b_C)


def bias_outside_candidate(h_prev, x_t, W_i, b_i, W_C, b_C):
    i_t, _ = i_and_C_tilde()(h_prev, x_t, W_i, b_i, W_C, b_C)
    return i_t, tanh(W_C @ hx_of(h_prev, x_t)) + b_C


def swapped_outputs(h_prev, x_t, W_i, b_i, W_C, b_C):
    i_t, C_tilde = i_and_C_tilde()(h_prev, x_t, W_i, b_i, W_C, b_C)
    return C_tilde, i_t


INPUT_MISTAKES = {
    "sigma_function": sigma_function_gate,
    "tanh_function": tanh_function_candidate,
    "tanh_for_sigma": i_and_C_tilde(i_act=tanh),
    "sigma_for_tanh": i_and_C_tilde(C_act=sigmoid),
    "elementwise_product": elementwise_gate,
    "concat_order": i_and_C_tilde(order=xh_of),
    "relu": relu_candidate,
    "no_activation": i_and_C_tilde(i_act=lambda z: z),
    "bias_missing": i_and_C_tilde(bias=False),
    "bias_outside": bias_outside_candidate,
    "weights_swapped": i_and_C_tilde(swap_weights=True),
    "outputs_swapped": swapped_outputs,
}


def C_t_right(f_t, C_prev, i_t, C_tilde):
    return f_t * C_prev + i_t * C_tilde


UPDATE_MISTAKES = {
    "forget_gate_missing": lambda f_t, C_prev, i_t, C_tilde: C_prev + i_t * C_tilde,
    "input_gate_missing": lambda f_t, C_prev, i_t, C_tilde: f_t * C_prev + C_tilde,
    "new_information_missing": lambda f_t, C_prev, i_t, C_tilde: f_t * C_prev,
    "discarded_part_kept": lambda f_t, C_prev, i_t, C_tilde: (1 - f_t) * C_prev + i_t * C_tilde,
    "gates_swapped": lambda f_t, C_prev, i_t, C_tilde: i_t * C_prev + f_t * C_tilde,
    "product_for_sum": lambda f_t, C_prev, i_t, C_tilde: f_t * C_prev * i_t * C_tilde,
    "tanh_on_cell_state": lambda f_t, C_prev, i_t, C_tilde: tanh(f_t * C_prev + i_t * C_tilde),
    "coupled_update": lambda f_t, C_prev, i_t, C_tilde: f_t * C_prev + (1 - f_t) * C_tilde,
    "dot_product": lambda f_t, C_prev, i_t, C_tilde: f_t @ C_prev + i_t @ C_tilde,
}


# --- 08: o_t, h_t --------------------------------------------------------------------------------


def o_and_h(o_of=None, h_of=lambda o_t, C_t: o_t * tanh(C_t)):
    """A student's compute_o_t_and_h_t: o_of(h_prev, x_t, W_o, b_o) and h_of(o_t, C_t)."""
    o_of = o_of or f_right  # the same sigmoid layer as f_t

    def compute(h_prev, x_t, C_t, W_o, b_o):
        o_t = o_of(h_prev, x_t, W_o, b_o)
        return o_t, h_of(o_t, C_t)

    return compute


def o_h_swapped(h_prev, x_t, C_t, W_o, b_o):
    o_t, h_t = o_and_h()(h_prev, x_t, C_t, W_o, b_o)
    return h_t, o_t


OUTPUT_MISTAKES = {
    **{key: o_and_h(o_of=fn) for key, fn in OUTPUT_GATE_MISTAKES.items()},
    "h_without_tanh": o_and_h(h_of=lambda o_t, C_t: o_t * C_t),
    "sigma_on_cell_state": o_and_h(h_of=lambda o_t, C_t: o_t * sigmoid(C_t)),
    "tanh_after_product": o_and_h(h_of=lambda o_t, C_t: tanh(o_t * C_t)),
    "output_gate_missing": o_and_h(h_of=lambda o_t, C_t: tanh(C_t)),
    "outputs_swapped": o_h_swapped,
}


# --- 08: reading nn.LSTMCell ---------------------------------------------------------------------


def reader(rows=("i", "f", "g", "o"), columns="hh_ih", bias="both", bias_rows=None):
    """A student's article_weights(cell), reading PyTorch's blocks with the given assumptions."""

    def article_weights(cell):
        H = cell.hidden_size
        W_ih, W_hh, b_ih, b_hh = (
            t.detach().numpy() for t in (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
        )
        W = np.hstack([W_hh, W_ih]) if columns == "hh_ih" else np.hstack([W_ih, W_hh])
        b = {"both": b_ih + b_hh, "ih": b_ih, "hh": b_hh}[bias]
        block = {g: slice(k * H, (k + 1) * H) for k, g in enumerate(rows)}
        bias_block = {g: slice(k * H, (k + 1) * H) for k, g in enumerate(bias_rows or rows)}
        return LSTMParams(
            W_f=W[block["f"]],
            b_f=b[bias_block["f"]],
            W_i=W[block["i"]],
            b_i=b[bias_block["i"]],
            W_C=W[block["g"]],
            b_C=b[bias_block["g"]],
            W_o=W[block["o"]],
            b_o=b[bias_block["o"]],
        )

    return article_weights


TORCH_MISTAKES = {
    "torch_rows": reader(rows=("f", "i", "g", "o")),  # the article's order
    "torch_columns": reader(columns="ih_hh"),
    "torch_bias": reader(bias="ih"),
    "torch_bias_rows": reader(bias_rows=("f", "i", "g", "o")),
}

CHECKS = {
    "check_forget_gate": (check_forget_gate, f_right, FORGET_MISTAKES),
    "check_input_gate_and_candidate": (
        check_input_gate_and_candidate,
        i_and_C_tilde(),
        INPUT_MISTAKES,
    ),
    "check_cell_update": (check_cell_update, C_t_right, UPDATE_MISTAKES),
    "check_output_gate_and_hidden_state": (
        check_output_gate_and_hidden_state,
        o_and_h(),
        OUTPUT_MISTAKES,
    ),
    "check_article_weights": (check_article_weights, reader(), TORCH_MISTAKES),
}

SEEDS = [0, 1, 2]

MISTAKE_CASES = [
    pytest.param(check, key, student, seed, id=f"{name}-{key}-seed{seed}")
    for name, (check, _, mistakes) in CHECKS.items()
    for key, student in mistakes.items()
    for seed in SEEDS
]


# --- Tests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(CHECKS))
def test_a_right_answer_passes_on_every_seed(name, seed):
    check, right, _ = CHECKS[name]
    feedback = check(right, seed=seed)
    assert feedback.passed, feedback.message
    assert str(feedback).startswith("✅")


CODE = ("np.", " @ ", "return ", "W * hx", "use *")
"""What code looks like in a message: it belongs in the fix, not in the default hint."""


@pytest.mark.parametrize(("check", "key", "student", "seed"), MISTAKE_CASES)
def test_each_misconception_is_named_with_a_hint_and_the_code_only_on_request(
    check, key, student, seed
):
    feedback = check(student, seed=seed)
    assert not feedback.passed
    assert MISCONCEPTIONS[key] in feedback.message, feedback.message
    assert feedback.fix and feedback.fix != FIXES[check.__name__]  # the misconception's line
    for code in CODE:
        assert code not in feedback.message, (code, feedback.message)
    with_fix = check(student, show_fix=True, seed=seed)
    assert with_fix.message == f"{feedback.message} Fix: {feedback.fix}"
    assert with_fix.message.count(" = ") - feedback.message.count(" = ") <= 2  # ≤ 2 lines
    for whole in ("np.concatenate([h_prev, x_t]); ", "return LSTMParams(", "return o_t, h_t;"):
        assert whole not in with_fix.message


@pytest.mark.parametrize("name", list(CHECKS))
def test_an_unnamed_mistake_gets_a_pointer_not_code(name):
    check, right, _ = CHECKS[name]

    def off(*args):
        result = right(*args)
        if isinstance(result, tuple):
            return tuple(np.asarray(r) + 0.123 for r in result)
        if isinstance(result, LSTMParams):
            return LSTMParams(*(np.asarray(v) + 0.123 for v in result))
        return np.asarray(result) + 0.123

    shown = check(off, show_fix=True)
    assert not shown.passed
    fix = shown.message.partition(" Fix: ")[2]
    assert fix.startswith("no code for a mistake the check cannot name"), shown.message
    for code in ("np.", " @ ", "return ", "sigmoid("):
        assert code not in fix


PACKAGE_ANSWERS = {
    "check_forget_gate": lambda h, x, W, b: lstm.forget_gate(np.concatenate([h, x]), W, b),
    "check_input_gate_and_candidate": lambda h, x, w_i, b_i, w_c, b_c: (
        lstm.input_gate(np.concatenate([h, x]), w_i, b_i),
        lstm.candidate(np.concatenate([h, x]), w_c, b_c),
    ),
    "check_cell_update": lambda f, C, i, c_tilde: lstm.update_cell(f, C, i, c_tilde),
    "check_output_gate_and_hidden_state": lambda h, x, C, W, b: (
        o := lstm.output_gate(np.concatenate([h, x]), W, b),
        lstm.hidden_state(o, C),
    ),
    "check_article_weights": lambda cell: torch_bridge.lstm_params_from_torch(cell),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_the_package_s_answer_is_off_limits(name):
    check = CHECKS[name][0]
    feedback = check(PACKAGE_ANSWERS[name])
    assert not feedback.passed
    assert "Write it yourself" in feedback.message, feedback.message
    assert check(CHECKS[name][1]).passed  # the package is put back afterwards


def test_a_dense_layer_from_the_package_is_off_limits_for_f_t():
    from lstm_course import neuron  # a notebook's import: the name lives on the module

    feedback = check_forget_gate(
        lambda h, x, W, b: neuron.dense_layer(np.concatenate([h, x]), W, b, sigmoid)
    )
    assert "Write it yourself" in feedback.message


@pytest.mark.parametrize("name", list(CHECKS))
def test_the_tests_cover_every_recognised_misconception(name):
    _, _, mistakes = CHECKS[name]
    assert set(mistakes) == set(RECOGNISED[name])


def test_recognised_lists_the_words():
    assert recognised(check_forget_gate)[0] == MISCONCEPTIONS["sigma_function"]
    assert recognised("check_cell_update") == [
        MISCONCEPTIONS[k] for k in RECOGNISED["check_cell_update"]
    ]


def test_the_brief_s_misconceptions_are_all_recognised():
    """The six the course promises: σ function, order, tanh/σ, bias, h_t's tanh, torch rows."""
    everything = {key for keys in RECOGNISED.values() for key in keys}
    assert {
        "sigma_function",
        "concat_order",
        "tanh_for_sigma",
        "sigma_for_tanh",
        "bias_missing",
        "h_without_tanh",
        "torch_rows",
    } <= everything


def test_two_mistakes_at_once_are_both_named():
    feedback = check_forget_gate(lambda h_prev, x_t, W_f, b_f: tanh(W_f @ xh_of(h_prev, x_t) + b_f))
    assert MISCONCEPTIONS["concat_order"] in feedback.message
    assert MISCONCEPTIONS["tanh_for_sigma"] in feedback.message


def test_both_layers_mistakes_are_named():
    both_swapped = i_and_C_tilde(i_act=tanh, C_act=sigmoid)
    message = check_input_gate_and_candidate(both_swapped).message
    assert "tanh where σ belongs (i_t" in message
    assert "σ where tanh belongs (C̃_t" in message


def test_the_rows_message_says_which_rows_were_read():
    message = check_article_weights(TORCH_MISTAKES["torch_rows"]).message
    assert "your W_f holds PyTorch's i rows" in message
    assert "i, f, g, o" in message


# --- The student's code going wrong ------------------------------------------------------------


def returns_none(*args):
    return None


def raises(*args):
    raise KeyError("oops")


def not_written(*args):
    raise NotImplementedError


@pytest.mark.parametrize("name", list(CHECKS))
@pytest.mark.parametrize(
    ("student", "words"),
    [
        (None, "Not written yet"),
        (np.zeros(3), "Pass the function itself"),
        (returns_none, "returned None"),
        (raises, "KeyError"),
        (not_written, "Not written yet"),
        (lambda *args: "text", "not an array of numbers"),
    ],
    ids=["None", "array", "returns-None", "raises", "NotImplementedError", "text"],
)
def test_broken_student_code_gets_a_sentence_not_a_traceback(name, student, words):
    check, _, _ = CHECKS[name]
    feedback = check(student)
    assert not feedback.passed
    if name == "check_article_weights" and words == "not an array of numbers":
        words = "Return LSTMParams"
    elif name in ("check_input_gate_and_candidate", "check_output_gate_and_hidden_state") and (
        words == "not an array of numbers"
    ):
        words = "Return two results"
    assert words in feedback.message, feedback.message
    assert "Traceback" not in feedback.message


def test_a_matmul_against_h_prev_alone_is_explained():
    feedback = check_forget_gate(lambda h_prev, x_t, W_f, b_f: sigmoid(W_f @ h_prev + b_f))
    assert not feedback.passed
    assert "W times h_{t-1} alone, or x_t alone, does not fit" in feedback.message
    assert not any(code in feedback.message for code in CODE)


def test_a_wrong_shape_names_both_shapes():
    feedback = check_forget_gate(lambda h_prev, x_t, W_f, b_f: f_right(h_prev, x_t, W_f, b_f)[:2])
    assert "shape (2,); expected (3,)" in feedback.message


def test_a_wrong_shape_from_article_weights_is_relayed():
    def only_input_weights(cell):
        H = cell.hidden_size
        W_ih = cell.weight_ih.detach().numpy()
        b = (cell.bias_ih + cell.bias_hh).detach().numpy()
        blocks = {}
        for k, gate in enumerate("ifCo"):
            blocks[f"W_{gate}"] = W_ih[k * H : (k + 1) * H]
            blocks[f"b_{gate}"] = b[k * H : (k + 1) * H]
        return blocks  # a mapping is accepted, and the shape is explained

    feedback = check_article_weights(only_input_weights)
    assert "W_i has shape (3, 3)" in feedback.message
    assert "expected (3, 6)" in feedback.message


def test_torch_tensors_are_accepted():
    def with_torch(h_prev, x_t, W_f, b_f):
        hx = torch.tensor(hx_of(h_prev, x_t))
        return torch.sigmoid(torch.tensor(W_f) @ hx + torch.tensor(b_f))

    assert check_forget_gate(with_torch).passed


def test_the_student_cannot_change_the_hidden_cases():
    def vandal(h_prev, x_t, W_f, b_f):
        result = f_right(h_prev, x_t, W_f, b_f)
        W_f[:] = 0.0
        return result

    assert check_forget_gate(vandal).passed


# --- Hidden cases --------------------------------------------------------------------------------


def test_seed_zero_is_the_article_s_case_and_other_seeds_have_H_different_from_D():
    (visible,) = gates.gate_cases(seed=0)
    np.testing.assert_array_equal(visible.x_t, [0.2, 1.3, 0.7])
    assert visible.sizes == (3, 3)
    for seed in (1, 2):
        first, second = gates.gate_cases(seed), gates.gate_cases(seed)
        for a, b in zip(first, second, strict=True):
            np.testing.assert_array_equal(a.params.W_f, b.params.W_f)  # seeded
        assert {H < D for H, D in (case.sizes for case in first)} == {True, False}
    (update,) = gates.update_cases(seed=0)  # notebook 07's numbers
    np.testing.assert_array_equal(update.i_t, [0.8, 0.5, 0.2])
    np.testing.assert_array_equal(update.C_tilde, [0.6, -0.4, 0.9])
    assert all(case.C_prev.size != 3 for case in gates.update_cases(seed=1))
    assert [case.W_hh.shape[1] for case in gates.torch_cases(seed=0)] == [3]
    for case in gates.torch_cases(seed=1):
        assert case.W_hh.shape[1] != case.W_ih.shape[1]  # H != D


@pytest.mark.parametrize("name", list(CHECKS))
def test_hard_coding_the_visible_case_fails_the_hidden_seeds(name):
    check, right, _ = CHECKS[name]
    answers = []

    def recorder(*args):
        answers.append(right(*args))
        return answers[-1]

    assert check(recorder).passed
    visible = answers[0]
    assert not check(lambda *args: visible, seed=1).passed


def test_torch_cases_read_by_the_bridge_match_the_cell():
    """The reference the check compares with is the bridge, and the bridge is the cell."""
    state = torch.random.get_rng_state()
    for case in gates.torch_cases(0) + gates.torch_cases(1):
        params = lstm_params_from_torch(case.cell)
        H, D = params.hidden_size, params.input_size
        rng = np.random.default_rng(0)
        x_t, h_prev, C_prev = rng.normal(size=D), rng.normal(size=H), rng.normal(size=H)
        step = lstm_cell(x_t, h_prev, C_prev, params)
        with torch.no_grad():
            h, C = case.cell(
                torch.tensor(x_t)[None], (torch.tensor(h_prev)[None], torch.tensor(C_prev)[None])
            )
        np.testing.assert_allclose(step.h_t, h[0].numpy(), atol=1e-12)
        np.testing.assert_allclose(step.C_t, C[0].numpy(), atol=1e-12)
    assert torch.equal(state, torch.random.get_rng_state())  # the global seed is untouched


# --- The notebooks that use the checks ----------------------------------------------------------

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
EXERCISE_NOTEBOOKS = {
    "06_forget_gate": ["check_forget_gate", "check_forget_sequence"],
    "07_input_gate_and_cell_update": ["check_input_gate_and_candidate", "check_cell_update"],
    "08_output_gate": [
        "check_output_gate_and_hidden_state",
        "check_article_weights",
        "check_lstm_cell",
        "check_lstm_unroll",
    ],
}


def graded_calls(name: str) -> list[tuple[str, str]]:
    """(check graded, stored output) for each nbgrader-graded cell of the notebook."""
    nb = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    calls = []
    for cell in nb["cells"]:
        if not cell["metadata"].get("nbgrader", {}).get("grade"):
            continue
        source = "".join(cell["source"])
        check = source.split("grade(", 1)[1].split(",")[0]
        text = "".join("".join(output.get("text", "")) for output in cell["outputs"])
        calls.append((check, text))
    return calls


@pytest.mark.parametrize("name", list(EXERCISE_NOTEBOOKS))
def test_each_exercise_is_graded_by_its_check_and_the_reference_earns_full_points(name):
    calls = graded_calls(name)
    assert [check for check, _ in calls] == EXERCISE_NOTEBOOKS[name]
    for _, text in calls:
        assert text.startswith("✅"), text
        earned, of = text.strip().splitlines()[-1].split(": ")[1].split(" points")[0].split(" of ")
        assert earned == of, text


def test_notebook_06_stores_the_article_s_kept_cell_state():
    nb = json.loads((NOTEBOOKS / "06_forget_gate.ipynb").read_text(encoding="utf-8"))
    texts = ["".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", [])]
    # the pointwise product is written ⊙ (issue 12); "·" was its older spelling
    assert {"f_t ⊙ C_{t-1} = [0.25 0.06 0.32]\n", "f_t · C_{t-1} = [0.25 0.06 0.32]\n"} & set(texts)


# --- Property: whatever the student's function returns, the check answers in words ---------------

ANYTHING = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=3)
    | st.builds(
        lambda shape, fill: np.full(shape, fill),
        st.lists(st.integers(0, 7), max_size=3).map(tuple),
        st.floats(allow_nan=True, allow_infinity=True),
    ),
    lambda children: st.lists(children, max_size=3) | st.tuples(children, children),
    max_leaves=6,
)


@settings(max_examples=30, deadline=None)
@given(result=ANYTHING, name=st.sampled_from(list(CHECKS)))
def test_any_return_value_gets_feedback_never_an_exception(result, name):
    check, _, _ = CHECKS[name]
    feedback = check(lambda *args: result)
    assert isinstance(feedback, Feedback)
    assert not feedback.passed
    assert feedback.message


# --- Predict before you run ----------------------------------------------------------------------

PREDICTIONS = [predict_keep_everything, predict_fifty_steps, predict_h_bounded]


@pytest.mark.parametrize("prediction", PREDICTIONS, ids=["06", "07", "08"])
def test_each_prediction_answers_none_each_choice_and_names_each_known_wrong_answer(prediction):
    assert "No prediction yet" in prediction.check(None).message
    assert prediction.check(prediction.answer).passed
    for choice in prediction.choices:
        assert prediction.check(choice).passed == (choice == prediction.answer)
    for wrong, hint in prediction.wrong.items():
        feedback = prediction.check(wrong)
        assert not feedback.passed and hint in feedback.message
    assert not prediction.check("something else").passed


def test_the_predictions_answers_are_the_computed_ones():
    from lstm_course import worked_example as we

    gain = (1 - we.f_t) * we.C_prev  # every f_t to 1: what each unit of f_t ⊙ C_{t-1} gains
    assert predict_keep_everything.answer == 1 + int(np.argmax(gain))
    assert abs(0.5 ** (1 / 50) - predict_fifty_steps.answer) < 0.001
    assert 0.986**50 == pytest.approx(0.5, abs=0.01)
    assert predict_h_bounded.answer is False  # |o_t ⊙ tanh(C_t)| < 1 always


def test_a_failed_check_speaks_chinese_in_the_chinese_edition() -> None:
    """With set_language("zh") the misconception's name and the hint are the catalogue's
    Chinese (the code symbols stay); English comes back after."""
    from lstm_course import i18n

    def no_bias(h_prev, x_t, W_f, b_f):
        return sigmoid(W_f @ hx_of(h_prev, x_t))

    i18n.set_language("zh", font=False)
    try:
        message = check_forget_gate(no_bias).message
    finally:
        i18n.set_language("en")
    assert "漏掉了偏置" in message  # MISCONCEPTIONS["bias_missing"]
    assert "这一层是 σ(W_f·[h_{t-1}, x_t] + b_f)；把 b_f 加在里面。" in message
    assert "在文章的 h_{t-1} 和 x_t 上" in message  # where it showed
    assert check_forget_gate(no_bias).message.startswith("The bias left out")


# --- 06: the forget gate over a sequence ---------------------------------------------------------


def forget_over_sequence(hs, xs, C_0, W_f, b_f):
    C_t, fs, cs = C_0, [], []
    for h_prev, x_t in zip(hs, xs, strict=True):
        f_t = sigmoid(W_f @ np.concatenate([h_prev, x_t]) + b_f)
        C_t = f_t * C_t
        fs.append(f_t)
        cs.append(C_t)
    return np.stack(fs), np.stack(cs)


def _sequence_student(**how):
    return lambda *args: gates._forget_sequence(*args, **how)


SEQUENCE_STUDENTS = {
    "state_not_carried": _sequence_student(carry=False),
    "initial_state_stacked": lambda *a: (
        forget_over_sequence(*a)[0],
        np.vstack([a[2], forget_over_sequence(*a)[1]]),
    ),
    "last_state_only": lambda *a: (forget_over_sequence(*a)[0], forget_over_sequence(*a)[1][-1]),
    "h_of_the_wrong_step": _sequence_student(hs_shift=1),
    "concat_order": _sequence_student(order="xh"),
    "bias_missing": _sequence_student(bias=False),
    "forget_gate_inverted": _sequence_student(invert=True),
    "outputs_swapped": lambda *a: forget_over_sequence(*a)[::-1],
}


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_forget_sequence_passes_the_reference(seed):
    assert gates.check_forget_sequence(forget_over_sequence, seed=seed).passed
    assert gates.check_forget_sequence(gates.forget_sequence_reference, seed=seed).passed


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("key", list(SEQUENCE_STUDENTS))
def test_each_forget_sequence_misconception_is_named_and_fixed_by_one_line(key, seed):
    feedback = gates.check_forget_sequence(SEQUENCE_STUDENTS[key], seed=seed)
    assert feedback.message.startswith(MISCONCEPTIONS[key]), feedback.message
    for code in CODE:
        assert code not in feedback.message
    shown = gates.check_forget_sequence(SEQUENCE_STUDENTS[key], show_fix=True, seed=seed)
    fix = shown.message.partition(" Fix: ")[2]
    assert fix and "\n" not in fix and "for " not in fix.replace("for h_prev, x_t in", "")


def _rows_minus_one(hs, xs, C_0, W_f, b_f):
    C_t, fs, cs = C_0, [], []
    for t in range(len(xs)):  # the natural slip: h_{t-1} read as hs[t - 1] in a 0-based loop
        f_t = sigmoid(W_f @ np.concatenate([hs[t - 1], xs[t]]) + b_f)
        C_t = f_t * C_t
        fs.append(f_t)
        cs.append(C_t)
    return np.stack(fs), np.stack(cs)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_h_read_as_hs_t_minus_one_is_named(seed):
    feedback = gates.check_forget_sequence(_rows_minus_one, seed=seed)
    assert feedback.message.startswith(MISCONCEPTIONS["h_of_the_wrong_step"]), feedback.message
    assert "row t − 1 of hs and of xs together" in feedback.message


def test_every_forget_sequence_misconception_has_a_student():
    assert set(RECOGNISED["check_forget_sequence"]) == set(SEQUENCE_STUDENTS)


def test_the_forget_sequence_seeds_use_other_sizes_and_stubs_get_a_sentence():
    visible = gates.sequence_cases(0)[0]
    answer = forget_over_sequence(visible.hs, visible.xs, visible.C_0, visible.W_f, visible.b_f)
    np.testing.assert_allclose(answer[0][0], [0.5, 0.1, 0.8], atol=0.5)  # the article's step 1
    assert gates.check_forget_sequence(lambda *a: answer).passed
    assert not gates.check_forget_sequence(lambda *a: answer, seed=1).passed
    assert "Not written yet" in gates.check_forget_sequence(None).message
    off = gates.check_forget_sequence(lambda *a: (answer[0], answer[1] + 0.1), show_fix=True)
    assert "already step 1 (row 0) is wrong" in off.message
    assert off.message.partition(" Fix: ")[2].startswith("no code")


def test_the_package_s_forget_gate_is_off_limits_in_the_sequence():
    def wrapped(hs, xs, C_0, W_f, b_f):
        f = np.stack(
            [
                lstm.forget_gate(np.concatenate([h, x]), W_f, b_f)
                for h, x in zip(hs, xs, strict=True)
            ]
        )
        return f, np.cumprod(f, axis=0) * C_0

    assert "Write it yourself" in gates.check_forget_sequence(wrapped).message
