"""The input checks every public function relies on."""

import numpy as np
import pytest

from lstm_course.shapes import as_float_array, check_shape, checked, frozen, matrix, vector


def test_check_shape_message_names_symbol_both_shapes_and_meaning():
    with pytest.raises(ValueError) as info:
        check_shape("W_f", np.zeros((3, 3)), (3, 6), "(hidden, hidden + input)")
    assert str(info.value) == "W_f has shape (3, 3); expected (3, 6) = (hidden, hidden + input)"


def test_checked_converts_lists_and_passes_good_input():
    out = checked("x_t", [1, 2, 3], (3,))
    assert out.dtype == np.float64 and out.shape == (3,)


@pytest.mark.parametrize("bad", [[1.0, np.nan], [np.inf, 0.0]])
def test_non_finite_is_a_clear_error(bad):
    with pytest.raises(ValueError, match=r"x_t contains non-finite values \(nan or inf\)"):
        as_float_array("x_t", bad)


def test_non_numbers_are_a_clear_error():
    with pytest.raises(ValueError, match="x_t must be an array of numbers"):
        as_float_array("x_t", ["a", "b"])


def test_rank_checks():
    with pytest.raises(ValueError, match=r"h_prev has shape \(1, 3\); expected a vector"):
        vector("h_prev", np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"W has shape \(3,\); expected a matrix"):
        matrix("W", np.zeros(3))


def test_frozen_is_a_read_only_copy():
    source = np.ones(3)
    out = frozen(source)
    source[0] = 5.0
    assert out[0] == 1.0
    with pytest.raises(ValueError):
        out[0] = 2.0
