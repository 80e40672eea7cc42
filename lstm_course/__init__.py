"""lstm_course: the numpy cells of the course, in the article's symbols, and what the notebooks run.

One example and one time step at a time; every weight matrix acts on [h_{t-1}, x_t], h first.
W·v is the matrix-vector product (``W @ v``), ⊙ the pointwise one (``*``).

The maths (numpy only; each equation one line, in the article's letters):
    activations      σ, tanh, ReLU, logit                                        (01)
    neuron           a neuron, a dense layer: the "sigmoid layer"                (01)
    rnn              h_t = tanh(W·[h_{t-1}, x_t] + b); spectral_radius           (03)
    lstm             the six equations, lstm_cell, lstm_unroll, gate_values_step (05–08)
    variants         peephole, coupled, GRU (both conventions); all on one input (09)
    bptt             backpropagation through time by hand                        (11)
    params           one idiom for every cell's parameters (CellParams, SHAPES)
    shapes           input checks, errors that name the symbol; [h_{t-1}, x_t]
    worked_example   the article's numbers (§3.3)
    counting         parameter counts of every cell                              (05, 09)

Between numpy and PyTorch:
    torch_bridge     numpy parameters <-> nn.RNN / nn.LSTM / nn.GRU; TORCH_GATE_ORDER
    bptt_autograd    the same gradients as bptt, by autograd                     (11)

The experiments the notebooks run:
    sequences        word order, same-sin times, the sin-only floor              (02)
    feedforward      the MLP that cannot learn sin -> cos from one input         (02)
    gradients        ‖∂h_T/∂h_0‖ by autograd                                     (04)
    recall           the recall task: RNN, LSTM, GRU                             (04, 09)
    data             the article's sin -> cos data and its layouts               (10)
    train            the article's model and its two recipes (article, fast)     (10)
    lbfgs            torch.optim.LBFGS's algorithm, cheap per evaluation (fast)  (10)
    sin_cos          the command line: python -m lstm_course.sin_cos             (10)
    numpy_training   sin -> cos trained with numpy alone                         (11)
    poems            the poem-writing LSTM                                       (12)
    environment      notebook 00's check that everything is installed            (00)
    i18n             the language: set_language("zh"), _() (gettext), the CJK font  (notebooks/zh)

For the notebooks:
    plots/           drawing only: f(ax, ...) -> ax, or an artists object that updates
    widgets/         wiring only: a control, a pure function, a drawing (registered playgrounds)
    exercises/       the "your turn" checks: one machinery, one module of misconceptions a topic
"""

from lstm_course.i18n import language, set_language

__version__ = "0.1.0"
__all__ = ["language", "set_language"]
