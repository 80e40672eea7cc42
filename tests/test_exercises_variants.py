"""Notebook 09's checks: the article's GRU cell and nn.GRU's parameter count, every mistake
named, the fix only on request, other sizes under other seeds, never a traceback."""

import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

import lstm_course.exercises.variants as variants_module
from lstm_course.activations import sigmoid, tanh
from lstm_course.counting import module_parameter_count
from lstm_course.exercises import variants as ex
from lstm_course.exercises.checking import misconception_name
from lstm_course.exercises.feedback import Feedback
from lstm_course.exercises.variants import (
    CHECK_SIZES,
    MISCONCEPTIONS,
    RECOGNISED,
    check_gru_cell,
    check_torch_gru_count,
    count_sizes,
    gru_cases,
    predict_coupled_reach,
    recognised_mistakes,
)
from lstm_course.i18n import set_language
from lstm_course.torch_bridge import gru_params_to_torch
from lstm_course.variants import TorchGRUParams, gru_cell


def right(D, H):
    return 3 * (H * (H + D) + 2 * H)


SLIPS = {
    "one_bias": lambda D, H: 3 * (H * (H + D) + H),
    "biases_missing": lambda D, H: 3 * H * (H + D),
    "lstm_blocks": lambda D, H: 4 * (H * (H + D) + 2 * H),
    "recurrent_weights_missing": lambda D, H: 3 * (H * D + 2 * H),
}


def test_the_right_formula_passes():
    feedback = check_torch_gru_count(right)
    assert feedback.passed
    assert "912" not in feedback.message  # the stored success message keeps the answer back
    assert "3·(H" not in feedback.message


def test_the_right_formula_is_what_torch_holds():
    for D, H in CHECK_SIZES:
        assert module_parameter_count(nn.GRU(D, H)) == right(D, H)


def test_numpy_integers_and_floats_count_too():
    assert check_torch_gru_count(lambda D, H: np.int64(right(D, H))).passed
    assert check_torch_gru_count(lambda D, H: float(right(D, H))).passed


@pytest.mark.parametrize("key", list(SLIPS))
def test_each_slip_is_named(key):
    feedback = check_torch_gru_count(SLIPS[key])
    assert not feedback.passed
    assert feedback.message.startswith(MISCONCEPTIONS[key])
    assert "nn.GRU(1, 16) holds 912" in feedback.message


def test_every_recognised_slip_has_a_student_here():
    assert set(RECOGNISED["check_torch_gru_count"]) == set(SLIPS)
    assert recognised_mistakes(check_torch_gru_count) == [
        misconception_name(MISCONCEPTIONS[key]) for key in SLIPS
    ]


def test_an_unknown_count_gets_the_block_by_block_hint():
    feedback = check_torch_gru_count(lambda D, H: 7)
    assert not feedback.passed
    assert "nn.GRU(1, 16) holds 912; you have 7" in feedback.message
    assert "weight_hh (3H, H)" not in feedback.message  # the shapes would be the answer
    assert "count block by block" in feedback.message


@pytest.mark.parametrize(
    ("formula", "words"),
    [
        (None, "Not written yet: define gru_parameter_count(D, H)"),
        (912, "Pass the function itself, not its result"),
        (lambda D, H: None, "did you forget `return`"),
        (lambda D, H: 1 / 0, "ZeroDivisionError"),
        (lambda D, H: np.array([1, 2]), "Return one whole number"),
        (lambda D: D, "TypeError"),
    ],
)
def test_unfinished_work_gets_a_sentence(formula, words):
    feedback = check_torch_gru_count(formula)
    assert not feedback.passed
    assert words in feedback.message


@settings(max_examples=30, deadline=None)
@given(st.one_of(st.integers(), st.floats(), st.text(), st.none(), st.lists(st.integers())))
def test_any_return_value_gets_feedback(value):
    feedback = check_torch_gru_count(lambda D, H: value)
    assert isinstance(feedback, Feedback)
    assert not feedback.passed  # no constant is right for every size


# --- the count under other seeds ---------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_seeds_use_other_sizes_and_the_formula_still_passes(seed):
    sizes = count_sizes(seed)
    assert sizes != CHECK_SIZES and all(D != H for D, H in sizes)
    assert check_torch_gru_count(right, seed=seed).passed
    visible = {(D, H): right(D, H) for D, H in CHECK_SIZES}  # hard-coding the visible sizes
    assert not check_torch_gru_count(lambda D, H: visible.get((D, H), 0), seed=seed).passed
    assert check_torch_gru_count(lambda D, H: visible.get((D, H), 0)).passed


@pytest.mark.parametrize("key", list(SLIPS))
def test_each_slip_is_named_under_another_seed_too(key):
    feedback = check_torch_gru_count(SLIPS[key], seed=5)
    assert not feedback.passed and feedback.message.startswith(MISCONCEPTIONS[key])


# --- the article's GRU cell ---------------------------------------------------------------------


def article_gru_cell(x_t, h_prev, p):
    hx = np.concatenate([h_prev, x_t])
    z_t = sigmoid(p.W_z @ hx + p.b_z)
    r_t = sigmoid(p.W_r @ hx + p.b_r)
    h_tilde = tanh(p.W_h @ np.concatenate([r_t * h_prev, x_t]) + p.b_h)
    h_t = (1 - z_t) * h_prev + z_t * h_tilde
    return z_t, r_t, h_tilde, h_t


def _pytorch_gru(x_t, h_prev, p):
    """What nn.GRUCell computes on the same numbers: z keeps, the reset after the product."""
    H = len(h_prev)
    hx = np.concatenate([h_prev, x_t])
    z_t = sigmoid(p.W_z @ hx + p.b_z)
    r_t = sigmoid(p.W_r @ hx + p.b_r)
    n_t = tanh(p.W_h[:, H:] @ x_t + p.b_h + r_t * (p.W_h[:, :H] @ h_prev))
    return z_t, r_t, n_t, (1 - z_t) * n_t + z_t * h_prev


def _mistaken(**changes):
    """The article's cell with one line changed (each a student's likely slip)."""

    def cell(x_t, h_prev, p):
        H = len(h_prev)
        order = changes.get("order", lambda h, x: [h, x])
        hx = np.concatenate(order(h_prev, x_t))
        gate = changes.get("gate", sigmoid)
        W_z, b_z, W_r, b_r = (
            (p.W_r, p.b_r, p.W_z, p.b_z) if changes.get("swap") else (p.W_z, p.b_z, p.W_r, p.b_r)
        )
        bias = 0.0 if changes.get("no_bias") else 1.0
        z_t = gate(W_z @ hx + bias * b_z)
        r_t = gate(W_r @ hx + bias * b_r)
        act = changes.get("candidate", tanh)
        if changes.get("reset") == "after":
            h_tilde = act(p.W_h[:, H:] @ x_t + r_t * (p.W_h[:, :H] @ h_prev) + bias * p.b_h)
        else:
            reset = h_prev if changes.get("reset") == "none" else r_t * h_prev
            h_tilde = act(p.W_h @ np.concatenate(order(reset, x_t)) + bias * p.b_h)
        h_t = {
            "article": (1 - z_t) * h_prev + z_t * h_tilde,
            "flipped": z_t * h_prev + (1 - z_t) * h_tilde,
            "no_one_minus": h_prev + z_t * h_tilde,
            "candidate": h_tilde,
        }[changes.get("update", "article")]
        results = [z_t, r_t, h_tilde, h_t]
        return tuple(results[i] for i in changes.get("order_out", (0, 1, 2, 3)))

    return cell


GRU_MISTAKES = {
    "pytorch_convention": _pytorch_gru,
    "reset_after_product": _mistaken(reset="after"),
    "update_flipped": _mistaken(update="flipped"),
    "gates_swapped": _mistaken(swap=True),
    "reset_missing": _mistaken(reset="none"),
    "concat_order": _mistaken(order=lambda h, x: [x, h]),
    "candidate_without_tanh": _mistaken(candidate=lambda a: a),
    "sigma_for_tanh": _mistaken(candidate=sigmoid),
    "tanh_for_sigma": _mistaken(gate=tanh),
    "biases_left_out": _mistaken(no_bias=True),
    "one_minus_missing": _mistaken(update="no_one_minus"),
    "candidate_as_state": _mistaken(update="candidate"),
    "outputs_swapped": _mistaken(order_out=(1, 0, 2, 3)),
}


@pytest.mark.parametrize("seed", [0, 1, 2, 7])
def test_the_article_s_cell_passes_every_seed(seed):
    feedback = check_gru_cell(article_gru_cell, seed=seed)
    assert feedback.passed, feedback.message
    # the package's own gru_cell, handed in as the answer, is the one thing not accepted
    assert "Write it yourself" in check_gru_cell(gru_cell, seed=seed).message


def test_seed_0_is_the_article_s_numbers_and_other_seeds_other_sizes():
    cases = gru_cases(0)
    assert all(np.array_equal(c.h_prev, [0.3, 0.8, 0.69]) for c in cases)
    assert all(np.array_equal(c.x_t, [0.2, 1.3, 0.7]) for c in cases)
    for seed in (1, 2, 3):
        sizes = {(len(c.x_t), len(c.h_prev)) for c in gru_cases(seed)}
        assert all(D != H for D, H in sizes) and any(D < H for D, H in sizes)
        assert any(D > H for D, H in sizes)


def test_hard_coding_the_visible_case_fails_the_hidden_seeds():
    visible = gru_cases(0)
    answers = {c.p.W_z.tobytes(): gru_cell(c.x_t, c.h_prev, c.p) for c in visible}

    def memorised(x_t, h_prev, p):
        return answers.get(p.W_z.tobytes(), (np.zeros(3),) * 4)

    assert check_gru_cell(memorised).passed
    assert not check_gru_cell(memorised, seed=1).passed


@pytest.mark.parametrize("key", list(GRU_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1])
def test_each_gru_mistake_is_named(key, seed):
    feedback = check_gru_cell(GRU_MISTAKES[key], seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(misconception_name(MISCONCEPTIONS[key])), feedback.message


def test_every_recognised_gru_mistake_has_a_student_here():
    assert set(RECOGNISED["check_gru_cell"]) == set(GRU_MISTAKES)


@pytest.mark.parametrize("key", list(GRU_MISTAKES))
def test_the_hint_shows_no_code_and_the_fix_comes_only_when_asked(key):
    first = check_gru_cell(GRU_MISTAKES[key])
    for fragment in ("np.", "@", "concatenate(", "return z_t", "p.W_", "sigmoid("):
        assert fragment not in first.message, (fragment, first.message)
    fix = variants_module.MISCONCEPTIONS[key].fix
    assert first.fix == fix
    second = check_gru_cell(GRU_MISTAKES[key], show_fix=True)
    assert second.message == f"{first.message} Fix: {fix}"


REFERENCE_LINES = (
    "hx = np.concatenate([h_prev, x_t])",
    "z_t = sigmoid(p.W_z @ hx + p.b_z)",
    "r_t = sigmoid(p.W_r @ hx + p.b_r)",
    "h_tilde = tanh(p.W_h @ np.concatenate([r_t * h_prev, x_t]) + p.b_h)",
    "h_t = (1 - z_t) * h_prev + z_t * h_tilde",
    "return z_t, r_t, h_tilde, h_t",
)


@pytest.mark.parametrize("key", sorted(GRU_MISTAKES))
def test_no_fix_gives_more_than_two_lines_of_the_reference(key):
    fix = check_gru_cell(GRU_MISTAKES[key], show_fix=True).fix
    assert sum(line in fix for line in REFERENCE_LINES) <= 2, fix


def test_a_mistake_it_cannot_name_gets_a_pointer_and_no_code():
    def half_right(x_t, h_prev, p):
        z_t, r_t, h_tilde, h_t = article_gru_cell(x_t, h_prev, p)
        return z_t, r_t, h_tilde, 0.5 * h_t

    feedback = check_gru_cell(half_right, show_fix=True)
    assert "Fix:" not in feedback.message and "against the article's equation" in feedback.message


def test_calling_the_package_s_gru_cell_is_not_building_it():
    def borrowed(x_t, h_prev, p):
        return tuple(gru_cell(x_t, h_prev, p))

    feedback = check_gru_cell(borrowed)
    assert not feedback.passed and "Write it yourself" in feedback.message
    assert check_gru_cell(article_gru_cell).passed  # the package is put back afterwards


def test_an_unknown_slip_names_the_first_wrong_result():
    def half_right(x_t, h_prev, p):
        z_t, r_t, h_tilde, h_t = article_gru_cell(x_t, h_prev, p)
        return z_t, r_t, h_tilde, 0.5 * h_t

    feedback = check_gru_cell(half_right)
    assert not feedback.passed and feedback.message.startswith("h_t is not yet")


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        (None, "Not written yet: define article_gru_cell(x_t, h_prev, p)"),
        (ex, "Pass the function itself"),
        (lambda x_t, h_prev, p: None, "did you forget `return`"),
        (lambda x_t, h_prev, p: h_prev, "Return the four results"),
        (lambda x_t, h_prev, p: (h_prev,) * 4 + (h_prev,), "Return the four results"),
        (lambda x_t, h_prev, p: (np.zeros(2),) * 4, "has shape (2,)"),
    ],
)
def test_unfinished_cells_get_a_sentence(cell, words):
    feedback = check_gru_cell(cell)
    assert not feedback.passed and words in feedback.message, feedback.message


def test_a_stub_is_not_written_yet():
    def stub(x_t, h_prev, p):
        raise NotImplementedError()

    assert "Not written yet" in check_gru_cell(stub).message


# --- predict before you run -----------------------------------------------------------------------


def test_the_coupled_prediction():
    assert "No prediction yet" in predict_coupled_reach.check(None).message
    assert predict_coupled_reach.check(0.3).passed
    for wrong in (0.0, 1.5):
        feedback = predict_coupled_reach.check(wrong)
        assert not feedback.passed and predict_coupled_reach.wrong[wrong] in feedback.message
    assert "Answer one of" in predict_coupled_reach.check(2.0).message


def test_the_coupled_prediction_s_answer_is_what_the_cell_reaches():
    C = 0.0
    for _ in range(5):
        C = max(f * C + (1 - f) * 0.3 for f in np.linspace(0, 1, 101))
    assert C == pytest.approx(predict_coupled_reach.answer)


def test_the_pytorch_convention_the_check_names_is_what_nn_gru_cell_computes():
    """The message says "PyTorch's GRU (nn.GRUCell)": the mistake it recognises is that cell."""
    case = gru_cases(1)[0]
    cell = gru_params_to_torch(TorchGRUParams.from_article(case.p))
    with torch.no_grad():
        h_module = cell(torch.tensor(case.x_t)[None], torch.tensor(case.h_prev)[None])[0].numpy()
    np.testing.assert_allclose(_pytorch_gru(case.x_t, case.h_prev, case.p)[3], h_module, atol=1e-12)
    assert not np.allclose(article_gru_cell(case.x_t, case.h_prev, case.p)[3], h_module, atol=1e-3)


# --- In Chinese -----------------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def in_chinese():
    """The package in Chinese for one test (the catalogue only, no font); English after."""
    set_language("zh", font=False)
    try:
        yield
    finally:
        set_language("en")


def test_a_failing_check_speaks_chinese(in_chinese):
    feedback = check_torch_gru_count(lambda D, H: 3 * (H * (H + D) + H))
    assert not feedback.passed and CJK.search(feedback.message)
    assert feedback.message.startswith(
        "每块一个偏置，照文章的写法（D = 1，H = 16）：nn.GRU(1, 16) 有"
    )
