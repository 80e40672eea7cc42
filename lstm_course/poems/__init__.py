"""Notebook 12: a character-level LSTM that writes Tang poems.

    corpus     the 351 distinct poems as one text, split by poem (10 % held out, none sharing a
               line with a training poem), the vocabulary, the form
    models     CharModel (embedding → nn.LSTM or nn.RNN → linear), the Bigram baseline, perplexity
    training   stateful batches, truncated BPTT with ``detach``, clipping by global norm
    sampling   softmax with a temperature, drawing, a starting text, 藏头诗 (acrostics)
    inside     the trained cell's gates and states along a text, with the course's numpy cell
    shipped    the trained models in ``models/`` (state_dicts, ``weights_only=True``)

``python -m lstm_course.poems train|sample|evaluate`` runs it from the command line.
"""
