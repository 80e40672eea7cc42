"""Notebook 10's checks: each mix-up of the article's reshape is named, and each wrong order of
a training step; the fix only on request; other sizes under other seeds."""

import re
import warnings

import numpy as np
import pytest
import torch
from torch import nn

from lstm_course.data import Layout, layout_named, to_sequences
from lstm_course.exercises import sin_cos as ex
from lstm_course.exercises.checking import misconception_name
from lstm_course.exercises.sin_cos import (
    RecordingOptimiser,
    check_third_sequence,
    expected_indices,
)
from lstm_course.i18n import set_language


def test_expected_is_every_fifth_point_from_two():
    np.testing.assert_array_equal(expected_indices(), np.arange(2, 100, 5))
    # the same as the article's own reshape, read column b = 2
    np.testing.assert_array_equal(np.arange(100).reshape(-1, 5)[:, 2], expected_indices())


def test_the_right_answer_passes():
    feedback = check_third_sequence(np.arange(2, 100, 5))
    assert feedback.passed and "Δt ≈ 0.95" in feedback.message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (None, "No answer yet"),
        (np.arange(2, 22), "contiguous run"),
        (np.arange(3, 100, 5), "starts at index 2, not 3"),
        (np.arange(1, 100, 5), "starts at index 2, not 1"),
        (np.arange(0, 100, 5), "starts at index 2, not 0"),
        (np.arange(2, 100, 20), "has shape (5,); expected (20,)"),
        (np.r_[np.arange(2, 97, 5), 99], "step 19 visits index 97, not 99"),
        ("two", "has shape ()"),
    ],
)
def test_each_mistake_is_named(answer, words):
    feedback = check_third_sequence(answer)
    assert not feedback.passed and words in feedback.message


# --- sequence_indices: the warm-up as a function, other batches under other seeds ---------------


def sequence_indices(n_points, batch, b):
    return np.arange(b, n_points, batch)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_right_function_passes_every_seed(seed):
    feedback = ex.check_sequence_indices(sequence_indices, seed=seed)
    assert feedback.passed and "every batch-th" not in feedback.message  # keeps the answer back


def test_seed_0_is_the_article_s_reshape_and_other_seeds_are_not():
    assert ex.index_cases(0)[0] == (100, 5, 2)
    for seed in (1, 2, 3):
        assert all(case.batch != 5 or case.n_points != 100 for case in ex.index_cases(seed))

    def memorised(n_points, batch, b):  # the article's third sequence, whatever is asked
        return np.arange(2, 100, 5)

    assert not ex.check_sequence_indices(memorised).passed  # seed 0 asks b = 0 and 4 too
    article_only = {(100, 5, b): np.arange(b, 100, 5) for b in range(5)}
    hard_coded = lambda n, batch, b: article_only.get((n, batch, b), np.arange(1))  # noqa: E731
    assert ex.check_sequence_indices(hard_coded).passed
    assert not ex.check_sequence_indices(hard_coded, seed=1).passed


@pytest.mark.parametrize(
    ("function", "key", "words"),
    [
        (lambda n, batch, b: np.arange(b * n // batch, (b + 1) * n // batch), "contiguous_run", ""),
        (lambda n, batch, b: np.arange(b + 1, n + 1, batch), "wrong_start", "not 3"),
        (lambda n, batch, b: np.arange(0, n, batch), "wrong_start", "not 0"),
    ],
)
@pytest.mark.parametrize("seed", [0, 1])
def test_each_index_mistake_is_named(function, key, words, seed):
    feedback = ex.check_sequence_indices(function, seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(misconception_name(ex.MISCONCEPTIONS[key]))
    if seed == 0:
        assert words in feedback.message
    assert "np." not in feedback.message and "arange" not in feedback.message


def test_every_recognised_index_mistake_is_fed_above():
    assert set(ex.RECOGNISED["check_sequence_indices"]) == {"contiguous_run", "wrong_start"}
    assert ex.recognised_mistakes(ex.check_sequence_indices) == [
        "A contiguous run of points",
        "The right stride from the wrong start",
    ]


def test_the_index_fix_only_when_asked_and_unfinished_work_gets_a_sentence():
    wrong = lambda n, batch, b: np.arange(b, n)  # noqa: E731
    assert "Fix:" not in ex.check_sequence_indices(wrong).message
    shown = ex.check_sequence_indices(wrong, show_fix=True).message
    assert shown.endswith(f"Fix: {ex.INDICES_FIX}") and "np.arange(b, n_points" not in shown
    assert "Not written yet: define sequence_indices" in ex.check_sequence_indices(None).message

    def stub(n_points, batch, b):
        raise NotImplementedError()

    assert "Not written yet" in ex.check_sequence_indices(stub).message
    assert "Fix:" not in ex.check_sequence_indices(stub, show_fix=True).message


def test_each_index_mistake_gets_only_its_own_line():
    contiguous = ex.check_sequence_indices(lambda n, batch, b: np.arange(b, b + n // batch), True)
    assert contiguous.message.endswith("Fix: " + ex.MISCONCEPTIONS["contiguous_run"].fix)
    wrong_start = ex.check_sequence_indices(lambda n, batch, b: np.arange(0, n, batch), True)
    assert wrong_start.message.endswith("Fix: " + ex.MISCONCEPTIONS["wrong_start"].fix)
    for key in ("contiguous_run", "wrong_start"):
        fix = ex.MISCONCEPTIONS[key].fix
        assert "np.arange" not in fix and fix.count("\n") == 0


@pytest.mark.parametrize(
    "student",
    [
        lambda n, batch, b: Layout("strided", batch).indices(n)[:, b],
        lambda n, batch, b: to_sequences(np.arange(n), Layout("strided", batch))[:, b, 0],
        lambda n, batch, b: layout_named("article").indices(n)[:, b],
    ],
)
def test_the_package_layouts_are_off_limits(student):
    feedback = ex.check_sequence_indices(student)
    assert not feedback.passed and feedback.message.startswith("Write it yourself"), feedback
    assert Layout("strided", 5).indices(10).shape == (2, 5)  # put back afterwards
    contiguous = ex.check_sequence_indices(lambda n, batch, b: np.arange(b, b + n // batch))
    assert "every 5th point" in contiguous.message


# --- train_step: structure, graded on a float64 copy of the article's model ----------------------

F = nn.functional


def train_step(model, optimiser, x, y):
    optimiser.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimiser.step()
    return loss.item()


def _step(order, loss=F.mse_loss, returned=lambda loss: loss.item()):
    """A train_step that runs ``order`` (a string of z = zero_grad, f = forward and loss,
    b = backward, s = step)."""

    def step(model, optimiser, x, y):
        value = None
        for action in order:
            if action == "z":
                optimiser.zero_grad()
            elif action == "f":
                value = loss(model(x), y)
            elif action == "b":
                value.backward()
            elif action == "s":
                optimiser.step()
        return returned(value)

    return step


STEP_MISTAKES = {
    "zero_grad_missing": _step("fbs"),
    "zero_grad_last": _step("fbsz"),  # the article's order
    "zero_grad_before_step": _step("fbzs"),
    "backward_missing": _step("zfs"),
    "step_before_backward": _step("zfsb"),
    "step_missing": _step("zfb"),
    "own_optimiser": lambda model, optimiser, x, y: train_step(
        model, RecordingOptimiser(model.parameters(), lr=0.1), x, y
    ),
    "stepped_twice": _step("zfbss"),
    "mean_absolute_error": _step("zfbs", loss=F.l1_loss),
    "summed_loss": _step("zfbs", loss=lambda p, y: F.mse_loss(p, y, reduction="sum")),
    "loss_tensor_returned": _step("zfbs", returned=lambda loss: loss),  # not .item()
    "loss_not_returned": _step("zfbs", returned=lambda loss: 0.0),
}


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_an_honest_step_passes_every_seed(seed, one_torch_thread):
    feedback = ex.check_train_step(train_step, seed=seed)
    assert feedback.passed, feedback.message


@pytest.mark.parametrize(
    "variant",
    [
        _step("zfbs", returned=lambda loss: float(loss.detach())),  # a number, however made
        _step("zfbs", loss=nn.MSELoss()),  # the article's loss module
    ],
)
def test_honest_variants_pass(variant, one_torch_thread):
    assert ex.check_train_step(variant).passed


def test_a_detached_tensor_is_not_a_number(one_torch_thread):
    detached = _step("zfbs", returned=lambda loss: loss.detach())
    feedback = ex.check_train_step(detached)
    name = misconception_name(ex.MISCONCEPTIONS["loss_tensor_returned"])
    assert not feedback.passed and feedback.message.startswith(name), feedback.message


def test_model_zero_grad_is_as_good_as_the_optimiser_s(one_torch_thread):
    def step(model, optimiser, x, y):
        model.zero_grad()
        loss = nn.MSELoss()(model(x), y)
        loss.backward()
        optimiser.step()
        return float(loss)

    with warnings.catch_warnings(record=True) as caught:  # float(loss) warns; a graded cell
        warnings.simplefilter("always")  # that writes to stderr scores 0 in nbgrader
        assert ex.check_train_step(step).passed
    assert caught == []


@pytest.mark.parametrize("key", list(STEP_MISTAKES))
@pytest.mark.parametrize("seed", [0, 1])
def test_each_step_mistake_is_named(key, seed, one_torch_thread):
    feedback = ex.check_train_step(STEP_MISTAKES[key], seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(misconception_name(ex.MISCONCEPTIONS[key])), feedback.message
    for code in ("zero_grad()", ".backward()", ".step()", "mse_loss", ".item()"):
        assert code not in feedback.message, (code, feedback.message)
    fix = ex.MISCONCEPTIONS[key].fix
    assert feedback.fix == fix
    assert ex.check_train_step(STEP_MISTAKES[key], show_fix=True, seed=seed).message.endswith(
        f"Fix: {fix}"
    )
    # the fix is the misconception's line(s), never the whole step
    reference = ("zero_grad()", "mse_loss(", ".backward()", ".step()", "return loss")
    assert sum(line in fix for line in reference) <= 2, fix


def test_an_unnamed_step_mistake_gets_no_code_fix(one_torch_thread):
    def half_lr(model, optimiser, x, y):
        optimiser.zero_grad()
        loss = 0.5 * F.mse_loss(model(x), y)
        loss.backward()
        optimiser.step()
        return 2 * loss.item()

    feedback = ex.check_train_step(half_lr, show_fix=True)
    assert not feedback.passed and "Fix:" not in feedback.message


def test_every_recognised_step_mistake_has_a_student_here():
    assert set(ex.RECOGNISED["check_train_step"]) == set(STEP_MISTAKES)


def test_seeds_change_the_model_and_the_batch():
    shapes = {tuple(ex.step_cases(seed)[0].x.shape) for seed in range(4)}
    sizes = {ex.step_cases(seed)[0].hidden_size for seed in range(4)}
    assert len(shapes) > 1 and len(sizes) > 1
    assert ex.step_cases(0)[0].hidden_size == 16 and tuple(ex.step_cases(0)[0].x.shape) == (
        20,
        5,
        1,
    )


def test_a_step_that_moves_the_wrong_way_is_caught(one_torch_thread):
    def uphill(model, optimiser, x, y):
        loss = train_step(model, optimiser, x, y)
        with torch.no_grad():  # undo the step twice over: the weights climb the loss
            for p in model.parameters():
                p.add_(p.grad, alpha=2 * optimiser.lr)
        return loss

    feedback = ex.check_train_step(uphill)
    assert not feedback.passed and "did not fall" in feedback.message


@pytest.mark.parametrize(
    ("function", "words"),
    [
        (None, "Not written yet: define train_step(model, optimiser, x, y)"),
        (lambda model, optimiser, x, y: None, "did you forget `return`"),
        (lambda model, optimiser, x, y: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_unfinished_steps_get_a_sentence(function, words, one_torch_thread):
    feedback = ex.check_train_step(function)
    assert not feedback.passed and words in feedback.message


def test_a_stub_step_is_not_written_yet():
    def stub(model, optimiser, x, y):
        raise NotImplementedError()

    assert "Not written yet" in ex.check_train_step(stub).message


def test_the_check_is_quick_and_leaves_torch_s_state_alone(one_torch_thread):
    import time

    state = torch.random.get_rng_state()
    start = time.process_time()
    for seed in (0, 1, 2):
        assert ex.check_train_step(train_step, seed=seed).passed
    assert time.process_time() - start < 1.0  # "graded in well under a second"
    assert torch.equal(state, torch.random.get_rng_state())


# --- predict before you run ----------------------------------------------------------------------


def test_the_one_step_prediction():
    p = ex.predict_one_step
    assert "No prediction yet" in p.check(None).message
    assert p.check(0.5).passed
    for wrong in (1e-4, 1e-2):
        feedback = p.check(wrong)
        assert not feedback.passed and p.wrong[wrong] in feedback.message
    assert "Answer one of" in p.check(0.3).message


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
    feedback = ex.check_sequence_indices(lambda n, batch, b: np.arange(b, b + n // batch))
    assert not feedback.passed and CJK.search(feedback.message)
    assert feedback.message.startswith("取了一段连续的点（100 个点，batch 5，序列 b = 2）：")
    assert "每 5 个点取一个" in feedback.message
