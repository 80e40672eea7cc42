"""The article's worked numbers (§3.3), as float arrays.

    C_{t-1} = [0.5, 0.6, 0.4]
    h_{t-1} = [0.3, 0.8, 0.69]
    x_t     = [0.2, 1.3, 0.7]
    [h_{t-1}, x_t] = [0.3, 0.8, 0.69, 0.2, 1.3, 0.7]      6 values
    f_t     = [0.5, 0.1, 0.8]                           3 values: W_f is 3×6

The article gives f_t without weights. W_f = 0 and b_f = logit(f_t) produce it exactly:
σ(0·[h_{t-1}, x_t] + logit(f_t)) = f_t. Notebooks start there and let the student move them.
"""

from __future__ import annotations

import numpy as np

from lstm_course.activations import logit

C_prev = np.array([0.5, 0.6, 0.4])
h_prev = np.array([0.3, 0.8, 0.69])
x_t = np.array([0.2, 1.3, 0.7])
hx = np.concatenate([h_prev, x_t])  # [h_{t-1}, x_t]
f_t = np.array([0.5, 0.1, 0.8])

HIDDEN_SIZE = C_prev.size  # H = 3
INPUT_SIZE = x_t.size  # D = 3

W_f = np.zeros((HIDDEN_SIZE, HIDDEN_SIZE + INPUT_SIZE))  # 3×6
b_f = logit(f_t)  # [0, −2.197, 1.386]

# What the article computes next: C_{t-1} * f_t, the part of the old state that is kept.
kept = f_t * C_prev  # [0.25, 0.06, 0.32]

# Not the article's: the candidate C̃_t in (−1, 1) that notebook 05's playground and its
# exercise fix, so that the three gates alone decide what happens to it.
DEMO_C_TILDE = np.array([0.9, -0.6, 0.3])
