"""lstm_course: the numpy cells of the course, in the article's symbols.

One example and one time step at a time; every weight matrix acts on [h_{t-1}, x_t].
Modules: activations, neuron, rnn, lstm, variants, torch_bridge, worked_example,
and (for the notebooks) plots and widgets.
"""

__version__ = "0.1.0"
