"""The article's numbers (§3.3) and the weights the course gives them."""

import numpy as np

from lstm_course import worked_example as we
from lstm_course.lstm import forget_gate


def test_the_articles_numbers():
    np.testing.assert_array_equal(we.C_prev, [0.5, 0.6, 0.4])
    np.testing.assert_array_equal(we.h_prev, [0.3, 0.8, 0.69])
    np.testing.assert_array_equal(we.x_t, [0.2, 1.3, 0.7])
    np.testing.assert_array_equal(we.hx, [0.3, 0.8, 0.69, 0.2, 1.3, 0.7])
    np.testing.assert_array_equal(we.f_t, [0.5, 0.1, 0.8])
    assert all(a.dtype == np.float64 for a in (we.C_prev, we.h_prev, we.x_t, we.hx, we.f_t))


def test_f_t_times_C_prev_is_the_articles_result():
    np.testing.assert_allclose(we.f_t * we.C_prev, [0.25, 0.06, 0.32], atol=1e-15)
    np.testing.assert_allclose(we.kept, [0.25, 0.06, 0.32], atol=1e-15)


def test_zero_weights_and_logit_bias_reproduce_the_articles_f_t():
    assert we.W_f.shape == (3, 6)
    np.testing.assert_allclose(we.b_f, [0.0, -2.197225, 1.386294], atol=1e-6)
    np.testing.assert_allclose(forget_gate(we.hx, we.W_f, we.b_f), we.f_t, atol=1e-15)
