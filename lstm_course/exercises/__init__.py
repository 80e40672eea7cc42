"""Checks for the notebooks' "your turn" exercises: one machinery, one module per topic.

    checking     the machinery every check shares: calling the student's code safely, numpy's
                 errors read into sentences, misconceptions named, the fix on request
    feedback     what a check returns: Feedback(passed, message, fix)
    grading      the autograded cell of an exercise: Grade(...) runs its checks under a time
                 limit and scores all its points or none (nbgrader reads the score)
    predicting   predict before you run: Prediction(...).check(my_prediction)
    forbidding   build it yourself: while a check runs, the package's answer raises a sentence
    neuron       01  the sigmoid layer, two layers
    sequences    02  carrying a state through a sequence; predicting cos t from sin t alone
    rnn          03, 04  unrolling an RNN, counting its weights, the chain rule, a Jacobian
    cell_state   05  setting f_t and i_t by hand, carrying C_t over a sequence
    gates        06–08  the LSTM's equations one at a time, and PyTorch's stacked weights
    lstm_cell    08  the whole LSTM cell and its loop over a sequence, from scratch
    variants     09  the article's GRU cell, nn.GRU's parameter count
    sin_cos      10  one honest training step, which points one sequence of the reshape visits
    bptt         11  backpropagation through time
    poems        12  the poem-writing LSTM

A failed check names the misconception and gives a hint; ``check_…(f, show_fix=True)`` adds
the right code. See ``exercises.checking`` for how to write a check for a new exercise.
"""

from lstm_course.exercises.feedback import Feedback

__all__ = ["Feedback"]
