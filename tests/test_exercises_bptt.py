"""Notebook 11's checks: a correct solution passes on every seed, every planted bug, written as
a student would write it, is named in plain words on the notebook's cases (seed 0) and on the
hidden tests' (seeds 1 and 2), the fix only on request; an answer that hard-codes seed 0 fails
seed 1; and the predict-before-you-run question answers each guess."""

import textwrap

import numpy as np
import pytest

from lstm_course.exercises import bptt as ex

STEP = textwrap.dedent(
    """
    def lstm_step_backward(dh_t, dC_next, step, h_prev, C_prev, x_t, params):
        f_t, i_t, C_tilde, C_t, o_t, h_t = step
        H = h_prev.size
        tanh_C_t = np.tanh(C_t)
        dC_t = dC_next + dh_t * o_t * (1 - tanh_C_t**2)
        d_o = dh_t * tanh_C_t * o_t * (1 - o_t)
        d_f = dC_t * C_prev * f_t * (1 - f_t)
        d_i = dC_t * C_tilde * i_t * (1 - i_t)
        d_C_tilde = dC_t * i_t * (1 - C_tilde**2)
        dC_prev = dC_t * f_t
        p = params
        dhx = p.W_f.T @ d_f + p.W_i.T @ d_i + p.W_C.T @ d_C_tilde + p.W_o.T @ d_o
        dh_prev, dx_t = dhx[:H], dhx[H:]
        return d_f, d_i, d_C_tilde, d_o, dh_prev, dC_prev, dx_t
    """
)

LOOP = textwrap.dedent(
    """
    def lstm_backward(xs, params, dhs):
        steps = lstm_forward(xs, params)
        T, H = dhs.shape
        grads = {name: np.zeros_like(getattr(params, name)) for name in NAMES}
        dh_next, dC_next = np.zeros(H), np.zeros(H)
        for t in reversed(range(T)):
            h_prev = steps.h_t[t - 1] if t > 0 else np.zeros(H)
            C_prev = steps.C_t[t - 1] if t > 0 else np.zeros(H)
            step = LSTMStep(*(field[t] for field in steps))
            d_f, d_i, d_C_tilde, d_o, dh_prev, dC_prev, dx_t = lstm_step_backward(
                dhs[t] + dh_next, dC_next, step, h_prev, C_prev, xs[t], params
            )
            hx = np.concatenate([h_prev, xs[t]])
            for gate, d in zip("fiCo", (d_f, d_i, d_C_tilde, d_o)):
                grads[f"W_{gate}"] += np.outer(d, hx)
                grads[f"b_{gate}"] += d
            dh_next, dC_next = dh_prev, dC_prev
        return grads, dh_next, dC_next
    """
)

CLIP = textwrap.dedent(
    """
    def clip_by_global_norm(grads, max_norm):
        norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
        scale = min(1.0, max_norm / norm)
        return {name: g * scale for name, g in grads.items()}
    """
)


def build(source: str, *replacements: tuple[str, str], name: str):
    """The function ``name`` defined by ``source`` after each (old, new) text replacement."""
    from lstm_course.bptt import lstm_forward
    from lstm_course.lstm import LSTMParams, LSTMStep

    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    namespace = {"np": np, "lstm_forward": lstm_forward, "LSTMStep": LSTMStep}
    namespace["NAMES"] = [f for W, b in LSTMParams.BLOCKS for f in (W, b)]
    exec(STEP, namespace)  # the loop uses a correct step unless the step is being tested
    exec(source, namespace)
    return namespace[name]


def step(*replacements):
    return build(STEP, *replacements, name="lstm_step_backward")


def loop(*replacements):
    return build(LOOP, *replacements, name="lstm_backward")


def clip(*replacements):
    return build(CLIP, *replacements, name="clip_by_global_norm")


SEEDS = (0, 1, 2)


@pytest.mark.parametrize("seed", [*SEEDS, 3, 7])
def test_correct_solutions_pass(seed):
    assert ex.check_lstm_step_backward(step(), seed=seed).passed
    assert ex.check_lstm_backward(loop(), seed=seed).passed
    assert ex.check_clip_by_global_norm(clip(), seed=seed).passed


def test_calling_the_package_s_answer_is_not_building_it():
    """Rule 1: the package's lstm_cell_backward, lstm_unroll_backward and clip_by_global_norm
    are off-limits while the checks run the student's function."""
    namespace = {}
    exec(
        "from lstm_course.bptt import clip_by_global_norm, lstm_cell_backward, "
        "lstm_unroll_backward\n"
        "def package_step(*args):\n"
        "    g = lstm_cell_backward(*args)\n"
        "    return g.d_f, g.d_i, g.d_C_tilde, g.d_o, g.dh_prev, g.dC_prev, g.dx_t\n"
        "def package_loop(xs, params, dhs):\n"
        "    g = lstm_unroll_backward(xs, params, dhs)\n"
        "    return g.params, g.dh0, g.dC0\n"
        "def package_clip(grads, max_norm):\n"
        "    return clip_by_global_norm(grads, max_norm)\n",
        namespace,
    )
    for check, name in (
        (ex.check_lstm_step_backward, "package_step"),
        (ex.check_lstm_backward, "package_loop"),
        (ex.check_clip_by_global_norm, "package_clip"),
    ):
        feedback = check(namespace[name])
        assert not feedback.passed and "Write it yourself" in feedback.message, feedback.message
    # and the package is put back afterwards
    assert ex.check_clip_by_global_norm(build(CLIP, name="clip_by_global_norm")).passed


STEP_BUGS = {
    "sigma_prime_missing": [("d_f = dC_t * C_prev * f_t * (1 - f_t)", "d_f = dC_t * C_prev")],
    "sigma_prime_of_output": [
        (
            "d_o = dh_t * tanh_C_t * o_t * (1 - o_t)",
            "d_o = dh_t * tanh_C_t * sigmoid(o_t) * (1 - sigmoid(o_t))",
        ),
    ],  # fmt: skip
    "tanh_prime_of_pre_activation": [("(1 - tanh_C_t**2)", "(1 - C_t**2)")],
    "tanh_prime_of_output": [("(1 - C_tilde**2)", "(1 - np.tanh(C_tilde) ** 2)")],
    "d_f_with_C_t": [("d_f = dC_t * C_prev *", "d_f = dC_t * C_t *")],
    "d_o_without_tanh": [("d_o = dh_t * tanh_C_t *", "d_o = dh_t * C_t *")],
    "h_path_missing": [("dC_t = dC_next + dh_t * o_t * (1 - tanh_C_t**2)", "dC_t = dC_next")],
    "carried_dC_dropped": [("dC_t = dC_next + dh_t", "dC_t = dh_t")],
    "forget_gate_not_in_dC_prev": [("dC_prev = dC_t * f_t", "dC_prev = dC_t")],
    "split_order": [("dhx[:H], dhx[H:]", "dhx[H:], dhx[:H]")],
    "gate_missing_from_dhx": [(" + p.W_o.T @ d_o", "")],
    "one_layer_in_dhx": [(" + p.W_i.T @ d_i + p.W_C.T @ d_C_tilde + p.W_o.T @ d_o", "")],
    "W_not_transposed": [("p.W_f.T @ d_f", "p.W_f @ d_f")],
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug", ex.RECOGNISED["check_lstm_step_backward"])
def test_each_step_bug_is_named(bug, seed):
    replacements = STEP_BUGS[bug]
    if bug == "sigma_prime_of_output":
        replacements = [("f_t, i_t,", "sigmoid = lambda z: 1 / (1 + np.exp(-z))\n    f_t, i_t,")]
        replacements += STEP_BUGS[bug]
    feedback = ex.check_lstm_step_backward(step(*replacements), seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(ex.MISCONCEPTIONS[bug].name), feedback.message
    assert ex.MISCONCEPTIONS[bug].hint in feedback.message
    assert "Fix:" not in feedback.message  # the fix waits until asked for
    assert ex.MISCONCEPTIONS[bug].fix not in feedback.message
    asked = ex.check_lstm_step_backward(step(*replacements), show_fix=True, seed=seed)
    assert asked.message.endswith(f"Fix: {ex.MISCONCEPTIONS[bug].fix}"), asked.message


def test_the_other_split_is_named_too():
    # dhx read as [x_t, h_{t-1}]: the right shapes, the wrong values
    feedback = ex.check_lstm_step_backward(
        step(
            (
                "dh_prev, dx_t = dhx[:H], dhx[H:]",
                "D = x_t.size\n    dh_prev, dx_t = dhx[D:], dhx[:D]",
            )
        )
    )
    assert feedback.message.startswith(ex.MISCONCEPTIONS["split_order"].name), feedback.message


LOOP_BUGS = {
    "dh_not_carried": [("dhs[t] + dh_next, dC_next", "dhs[t], dC_next")],
    "dC_not_carried": [("dh_next, dC_next = dh_prev, dC_prev", "dh_next = dh_prev")],
    "dW_not_summed": [
        ('grads[f"W_{gate}"] += np.outer(d, hx)', 'grads[f"W_{gate}"] = np.outer(d, hx)'),
        ('grads[f"b_{gate}"] += d', 'grads[f"b_{gate}"] = d'),
    ],
    "prev_off_by_one": [
        ("steps.h_t[t - 1] if t > 0 else np.zeros(H)", "steps.h_t[t]"),
        ("steps.C_t[t - 1] if t > 0 else np.zeros(H)", "steps.C_t[t]"),
    ],
    "loop_forwards": [("for t in reversed(range(T)):", "for t in range(T):")],
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug", ex.RECOGNISED["check_lstm_backward"])
def test_each_loop_bug_is_named(bug, seed):
    feedback = ex.check_lstm_backward(loop(*LOOP_BUGS[bug]), seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(ex.MISCONCEPTIONS[bug].name), feedback.message
    assert ex.MISCONCEPTIONS[bug].fix not in feedback.message and "Fix:" not in feedback.message
    asked = ex.check_lstm_backward(loop(*LOOP_BUGS[bug]), show_fix=True, seed=seed)
    assert asked.message.endswith(f"Fix: {ex.MISCONCEPTIONS[bug].fix}"), asked.message


def test_a_loop_with_an_unknown_slip_gets_the_general_hint():
    feedback = ex.check_lstm_backward(loop(("dhs[t] + dh_next", "dhs[t] + 2 * dh_next")))
    assert not feedback.passed
    assert "Check what each step hands back" in feedback.message, feedback.message


def test_a_wrong_step_is_sent_back_to_the_step_check():
    broken = step(("dC_prev = dC_t * f_t", "dC_prev = dC_t"))
    feedback = build(LOOP, name="lstm_backward")
    feedback.__globals__["lstm_step_backward"] = broken
    verdict = ex.check_lstm_backward(feedback)
    assert not verdict.passed and "check_lstm_step_backward" in verdict.message


CLIP_BUGS = {
    "clip_each_separately": [
        ("norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))\n", ""),
        ("scale = min(1.0, max_norm / norm)\n", ""),
        ("g * scale", "g * min(1.0, max_norm / np.linalg.norm(g))"),
    ],
    "clip_scales_up": [("min(1.0, max_norm / norm)", "max_norm / norm")],
    "clip_values": [("g * scale", "np.clip(g, -max_norm, max_norm)")],
    "clip_in_place": [
        (
            "return {name: g * scale for name, g in grads.items()}",
            "for g in grads.values():\n        g *= scale\n    return grads",
        ),
    ],  # fmt: skip
    "clip_sum_of_norms": [
        (
            "np.sqrt(sum(np.sum(g**2) for g in grads.values()))",
            "sum(np.linalg.norm(g) for g in grads.values())",
        ),
    ],  # fmt: skip
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("bug", ex.RECOGNISED["check_clip_by_global_norm"])
def test_each_clipping_bug_is_named(bug, seed):
    feedback = ex.check_clip_by_global_norm(clip(*CLIP_BUGS[bug]), seed=seed)
    assert not feedback.passed
    assert feedback.message.startswith(ex.MISCONCEPTIONS[bug].name), feedback.message
    assert ex.MISCONCEPTIONS[bug].fix not in feedback.message and "Fix:" not in feedback.message
    asked = ex.check_clip_by_global_norm(clip(*CLIP_BUGS[bug]), show_fix=True, seed=seed)
    assert asked.message.endswith(f"Fix: {ex.MISCONCEPTIONS[bug].fix}"), asked.message


def test_the_clipping_case_says_how_max_norm_compares_with_the_norm():
    """The notebook's prose clips at half the norm; the check's own case is a quarter: its
    message says so, not just a number."""
    feedback = ex.check_clip_by_global_norm(clip(*CLIP_BUGS["clip_each_separately"]))
    assert "max_norm = 3.48, a quarter of the global norm 13.9" in feedback.message
    scaled_up = ex.check_clip_by_global_norm(clip(*CLIP_BUGS["clip_scales_up"]))
    assert "twice the global norm" in scaled_up.message
    hidden = ex.check_clip_by_global_norm(clip(*CLIP_BUGS["clip_each_separately"]), seed=1)
    assert "times the global norm" in hidden.message


def test_every_bug_has_a_test_a_hint_and_a_fix():
    tested = set(STEP_BUGS) | set(LOOP_BUGS) | set(CLIP_BUGS)
    assert tested == {key for keys in ex.RECOGNISED.values() for key in keys}
    assert tested == set(ex.MISCONCEPTIONS)
    for bug in ex.MISCONCEPTIONS.values():
        assert bug.name and bug.hint and bug.fix
    assert len(ex.recognised(ex.check_lstm_step_backward)) == len(STEP_BUGS)
    assert (
        ex.recognised(ex.check_clip_by_global_norm)[0]
        == ex.MISCONCEPTIONS["clip_each_separately"].name
    )


def test_unanswered_broken_and_misshapen_answers_get_sentences():
    for check in (
        ex.check_lstm_step_backward,
        ex.check_lstm_backward,
        ex.check_clip_by_global_norm,
    ):
        assert "Not written yet" in check(None).message

    def raises(*_):
        raise NotImplementedError("write me")

    assert "replace the `raise NotImplementedError`" in ex.check_lstm_step_backward(raises).message
    assert "returned None" in ex.check_lstm_step_backward(lambda *a: None).message
    assert "You returned 2 values" in ex.check_lstm_step_backward(lambda *a: (1, 2)).message
    assert "Return (grads, dh0, dC0)" in ex.check_lstm_backward(lambda *a: 3).message
    assert "same names as grads" in ex.check_clip_by_global_norm(lambda g, m: [1]).message


def test_a_passed_check_shows_no_fix():
    feedback = ex.check_clip_by_global_norm(clip(), show_fix=True)
    assert feedback.passed and "Fix" not in feedback.message


# --- seeds: other sizes, so that hard-coding the visible cases earns nothing ---------------------


def test_other_seeds_use_other_sizes():
    def sizes(seed):
        return (
            [(c.h_prev.size, c.x_t.size) for c in ex.step_cases(seed)],
            [(xs.shape, dhs.shape) for xs, _, dhs in ex.loop_cases(seed)],
            [grads["W_f"].shape for grads, _ in ex.clip_cases(seed)],
        )

    assert sizes(0) == (
        [(3, 2), (2, 4)],
        [((1, 2), (1, 3)), ((6, 2), (6, 3))],
        [(3, 5), (3, 5)],
    )
    for seed in (1, 2):
        for ours, visible in zip(sizes(seed), sizes(0), strict=True):
            assert not set(ours) & set(visible), (seed, ours)
        assert all(H != D for H, D in sizes(seed)[0])


def _replaying(answers):
    """A function that returns the recorded ``answers`` in turn, whatever it is given."""
    recorded = iter(answers)
    return lambda *args: next(recorded)


def test_an_answer_hard_coding_seed_0_fails_seed_1():
    steps = [ex.step_with_bug(case) for case in ex.step_cases(0)]
    step_answers = [tuple(d[k] for k in ex.STEP_FIELDS) for d in steps]
    assert ex.check_lstm_step_backward(_replaying(step_answers)).passed
    assert not ex.check_lstm_step_backward(_replaying(step_answers), seed=1).passed

    loops = [ex.loop_with_bug(*case) for case in ex.loop_cases(0)]
    loop_answers = [
        ({k: v for k, v in g.items() if k not in ("dh0", "dC0")}, g["dh0"], g["dC0"]) for g in loops
    ]
    assert ex.check_lstm_backward(_replaying(loop_answers)).passed
    assert not ex.check_lstm_backward(_replaying(loop_answers), seed=1).passed

    clips = [ex.clip_with_bug(*case) for case in ex.clip_cases(0)]
    assert ex.check_clip_by_global_norm(_replaying(clips)).passed
    assert not ex.check_clip_by_global_norm(_replaying(clips), seed=1).passed


def test_the_graded_cell_scores_all_or_nothing():
    from lstm_course.exercises.grading import Grade

    right = Grade("11-lstm-step-backward", points=6)
    for seed in (0, 1, 2):
        right(ex.check_lstm_step_backward, step(), seed=seed)
    assert right.passed and right.points() == 6

    wrong = Grade("11-clip-by-global-norm", points=3)
    for seed in (0, 1, 2):
        wrong(ex.check_clip_by_global_norm, clip(*CLIP_BUGS["clip_values"]), seed=seed)
    assert not wrong.passed and wrong.points() == 0

    def stub(*args):
        raise NotImplementedError()

    unwritten = Grade("11-lstm-backward", points=5)
    verdict = unwritten(ex.check_lstm_backward, stub)
    assert "Not written yet" in verdict.message and unwritten.points() == 0


# --- predict before you run -------------------------------------------------------------------


def test_the_prediction_answers_every_guess():
    question = ex.predict_other_roads
    assert "No prediction yet" in question.check(None).message
    assert question.check("larger").passed
    for guess in question.choices:
        assert question.check(guess).passed == (guess == "larger")
    for guess, hint in question.wrong.items():
        verdict = question.check(guess)
        assert not verdict.passed and hint in verdict.message
    assert "Answer one of" in question.check("bigger").message


def test_a_failed_check_speaks_chinese_in_the_chinese_edition() -> None:
    """With set_language("zh") the planted bug's name, its hint and where it showed are the
    catalogue's Chinese; English comes back after."""
    from lstm_course import i18n

    def clip_values(grads, max_norm):
        return {name: np.clip(g, -max_norm, max_norm) for name, g in grads.items()}

    i18n.set_language("zh", font=False)
    try:
        message = ex.check_clip_by_global_norm(clip_values).message
    finally:
        i18n.set_language("en")
    assert "把每个值裁剪到 ±max_norm（np.clip），而不是把整个向量按比例缩放" in message
    assert "np.clip 会改变方向，而且不能限制范数。" in message  # the hint
    assert "是全局范数" in message and "的四分之一" in message  # where: a quarter of the norm
    english = ex.check_clip_by_global_norm(clip_values).message
    assert english.startswith("Each value clipped to ±max_norm (np.clip)")


def test_no_fix_gives_the_whole_solution():
    """Rule 2: a fix is the line(s) of one misconception; a failure naming none gets no code."""
    assert ex.STEP_FIX == ex.LOOP_FIX == ex.CLIP_FIX == ""
    for bug in ex.MISCONCEPTIONS.values():
        assert bug.fix.count(";") <= 1, bug.fix
    unknown = ex.check_lstm_backward(loop(("dhs[t] + dh_next", "dhs[t] + 2 * dh_next")), True)
    assert "Fix:" not in unknown.message


def test_the_visible_cases_are_not_called_hidden():
    feedback = ex.check_lstm_step_backward(lambda *args: (1, 2, 3))
    assert "(case 1: H = 3, D = 2)" in feedback.message, feedback.message
    loop_feedback = ex.check_lstm_backward(lambda *args: 5)
    assert "(case 1: T = 1, H = 3, D = 2)" in loop_feedback.message, loop_feedback.message
