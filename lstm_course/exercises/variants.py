"""The check for notebook 09: how many numbers does ``nn.GRU(D, H)`` hold?

    09  gru_parameter_count(D, H) -> int
            3·(H·(H + D) + 2·H): three blocks (r, z, n), each a weight_ih row block (H, D),
            a weight_hh row block (H, H) and two biases, bias_ih and bias_hh (H each)

The expected count is ``counting.parameter_count("gru", D, H, torch_biases=True).total``, which
the counting tests prove equal to sum(p.numel() for p in nn.GRU(D, H).parameters()). A wrong
answer's message starts with the misconception's name from ``MISCONCEPTIONS``; a formula that
raises, returns None or is not a function gets a sentence, never a traceback (the calling
machinery of ``exercises.checking``; ``show_fix=True`` adds the formula).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

from lstm_course.counting import parameter_count
from lstm_course.exercises.checking import (
    call_student,
    named,
    recognised,
    require_function,
    run_check,
)
from lstm_course.exercises.feedback import Feedback, correct, mistake

CHECK_SIZES = ((1, 16), (3, 3), (7, 2), (2, 5))  # (D, H) pairs, the article's experiment first

MISCONCEPTIONS: dict[str, str] = {
    "one_bias": "One bias a block, as the article writes it",
    "biases_missing": "The biases left out",
    "lstm_blocks": "The LSTM's four blocks",
    "recurrent_weights_missing": "The recurrent weights weight_hh left out",
}
RECOGNISED: dict[str, tuple[str, ...]] = {"check_torch_gru_count": tuple(MISCONCEPTIONS)}
"""Which misconceptions each check names (keys of ``MISCONCEPTIONS``)."""


def recognised_mistakes(check: Callable[..., Feedback] | str) -> list[str]:
    """The misconceptions ``check`` (a check of this module, or its name) recognises, in words."""
    return recognised(check, MISCONCEPTIONS, RECOGNISED)


def _slips(D: int, H: int) -> dict[int, tuple[str, str]]:
    """The count each known slip gives for nn.GRU(D, H): count -> (misconception, explanation)."""
    article = parameter_count("gru", D, H)
    torch_count = parameter_count("gru", D, H, torch_biases=True)
    lstm = parameter_count("lstm", D, H, torch_biases=True)
    return {
        article.total: ("one_bias", "PyTorch keeps two, bias_ih and bias_hh (3·H more)."),
        torch_count.weights: ("biases_missing", "the weights are right; add bias_ih and bias_hh."),
        lstm.total: ("lstm_blocks", "the GRU has three blocks (r, z, n), not four."),
        3 * (H * D + 2 * H): (
            "recurrent_weights_missing",
            "each block also has a recurrent weight W_h* of H×H, in weight_hh.",
        ),
    }


FIX = "return 3 * (H * (H + D) + 2 * H)"
"""The right formula: the second level of feedback, shown with ``show_fix=True``."""


def check_torch_gru_count(
    formula: Callable[[int, int], int] | None, show_fix: bool = False
) -> Feedback:
    """Check ``formula(D, H)`` against what ``nn.GRU(D, H)`` holds, for every size in
    ``CHECK_SIZES``; name the slip (one bias a block, no biases, four blocks, no weight_hh)."""
    signature = "gru_parameter_count(D, H)"

    def check() -> Feedback:
        require_function(formula, signature)
        for D, H in CHECK_SIZES:
            where = f"D = {D}, H = {H}"
            got = call_student(formula, (D, H), where)
            if not isinstance(got, numbers.Real):
                return mistake(
                    f"Return one whole number ({where}); got a {type(got).__name__}: {got!r}."
                )
            expected = parameter_count("gru", D, H, torch_biases=True).total
            if got == expected:
                continue
            said = f"nn.GRU({D}, {H}) holds {expected}; you have {got!r}:"
            slip = _slips(D, H).get(got)
            if slip is not None:
                key, explanation = slip
                return named(key, where, f"{said} {explanation}", MISCONCEPTIONS)
            return mistake(
                f"Not yet ({where}): {said} compare block by block — weight_ih (3H, D), "
                "weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,)."
            )
        return correct(
            f"Right for every size tried {CHECK_SIZES}: 3·(H·(H + D) + 2·H), e.g. "
            f"{parameter_count('gru', 1, 16, torch_biases=True).total} for nn.GRU(1, 16)."
        )

    return run_check(check, show_fix, FIX)
