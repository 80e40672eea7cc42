"""Writing with a model: sampling with a temperature, from a starting text, and 藏头诗.

One step of sampling, for a model that gives logits z (V,) for the next character:

    p = softmax(z / τ)          τ, the temperature: below 1 sharpens p, above 1 flattens it
    c ~ p                       draw the next character (not the argmax: that repeats itself)
    feed c back in              with the state the step left, so the model remembers the line

An acrostic (藏头诗, "a poem with hidden heads") is given N characters; line k starts with
the k-th. Here the form is kept by construction: every line has ``line_length`` characters,
lines end alternately in "，" and "。" (the last always in "。"), the model chooses every other
character, and is never allowed a punctuation mark or END in the middle of a line.

Every sample begins the same way: the model reads ``PRELUDE`` (END, a training poem, END), so
that its state is that of a poem's start as in training, where the state runs on from the poem
before (in training the state is zero only at each epoch's start, once for each of the 16
streams, mostly mid-poem). From a zero state the shipped LSTM keeps the form far worse
(notebook 12 measures it) and the RNN hardly worse; why, the course does not measure.

Randomness comes in as a ``numpy.random.Generator``; draws use the probabilities in float64.
A ``Bigram`` samples the same way, its logits being log P(next | this character).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from lstm_course.i18n import _
from lstm_course.poems.corpus import (
    END,
    LINE_LENGTHS,
    PUNCTUATION,
    UNK,
    Vocabulary,
    load_corpus,
)
from lstm_course.poems.models import Bigram, CharModel

MAX_CHARS = 120  # a sampled poem stops at END or at this many characters
PRELUDE_TITLE = "静夜思"  # Li Bai's "Quiet night thoughts", a training poem


@dataclass(frozen=True)
class Sample:
    """A sampled text, and for each of its characters the probability the model gave it.

    ``forced[k]`` is True where the character was not drawn but given (the starting text,
    an acrostic's heads and its punctuation).
    """

    text: str
    confidence: np.ndarray  # (len(text),)
    forced: np.ndarray  # (len(text),) bool


def never_unknown(logits: np.ndarray, vocab: Vocabulary) -> np.ndarray:
    """The logits with UNK's set to −∞: a sample never writes "□"."""
    logits = np.array(logits, dtype=np.float64)
    logits[..., vocab.unknown] = -np.inf
    return logits


def softmax_with_temperature(logits: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(z / τ) along the last axis, in float64 (the largest logit subtracted first)."""
    check_temperature(temperature)
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def check_temperature(temperature: float) -> None:
    if not (np.isfinite(temperature) and temperature > 0):
        raise ValueError(
            _("temperature τ must be a positive number; got {tau}").format(tau=temperature)
        )


def draw(p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One draw from each row of p (B, V): the first k whose cumulative probability passes u."""
    u = rng.random(p.shape[0])[:, None]
    cumulative = np.cumsum(p, axis=-1)
    return np.minimum((cumulative < u * cumulative[:, -1:]).sum(axis=-1), p.shape[-1] - 1)


def prelude() -> str:
    """END, the training poem PRELUDE_TITLE, END: what every sample reads first."""
    text = next(p.text for p in load_corpus().poems if p.title == PRELUDE_TITLE)
    return END + text + END


class Reader:
    """Reads characters one at a time and says what it expects next: logits (B, V).

    Wraps a CharModel (carrying its state between calls) or a Bigram (whose state is the last
    character). ``read(ids (B,))`` -> logits (B, V) for the character after ``ids``.
    """

    def __init__(self, model: CharModel | Bigram) -> None:
        self.model = model
        self.state = None

    def begin(self, vocab: Vocabulary, streams: int = 1, warm_up: bool = True) -> np.ndarray:
        """Read the prelude (in ``streams`` copies); the logits for a poem's first character.

        warm_up=False reads END alone, from the zero state.
        """
        logits = None
        for k in vocab.encode(prelude() if warm_up else END):
            logits = self.read(np.full(streams, k))
        return logits

    @torch.no_grad()
    def read(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        if isinstance(self.model, Bigram):
            return np.log(self.model.next_probabilities(ids))
        self.model.eval()
        logits, self.state = self.model(torch.as_tensor(ids)[:, None], self.state)
        return logits[:, -1].double().numpy()


def sample(
    model: CharModel | Bigram,
    vocab: Vocabulary,
    rng: np.random.Generator,
    temperature: float = 1.0,
    start: str = "",
    max_chars: int = MAX_CHARS,
) -> Sample:
    """A poem: ``start``, then characters drawn at ``temperature`` until END or ``max_chars``.

    The model first reads the prelude and ``start``; the END it writes is dropped.
    """
    check_temperature(temperature)
    reader = Reader(model)
    logits = reader.begin(vocab)
    chars, confidence = list(start), []
    for k in vocab.encode(start):  # given: how likely the model found each, then read it
        confidence.append(float(softmax_with_temperature(logits, 1.0)[0, k]))
        logits = reader.read(np.array([k]))
    end = vocab.index[END]
    while len(chars) < max_chars:
        p = softmax_with_temperature(never_unknown(logits, vocab), temperature)
        k = int(draw(p, rng)[0])
        if k == end:
            break
        chars.append(vocab.chars[k])
        confidence.append(float(p[0, k]))
        logits = reader.read(np.array([k]))
    forced = np.arange(len(chars)) < len(start)
    return Sample("".join(chars), np.array(confidence), forced)


def sample_poems(
    model: CharModel | Bigram,
    vocab: Vocabulary,
    n: int,
    rng: np.random.Generator,
    temperature: float = 1.0,
    max_chars: int = MAX_CHARS,
    warm_up: bool = True,
) -> list[str]:
    """``n`` poems drawn side by side (one batch), each after the prelude until END or
    ``max_chars`` (warm_up=False: from the zero state, after END alone)."""
    check_temperature(temperature)
    if n < 1:
        raise ValueError(_("n must be at least 1; got {n}").format(n=n))
    end = vocab.index[END]
    reader = Reader(model)
    logits = reader.begin(vocab, n, warm_up)
    written = np.zeros((n, max_chars), dtype=np.int64)
    finished = np.zeros(n, dtype=bool)
    lengths = np.full(n, max_chars)
    for t in range(max_chars):
        ids = draw(softmax_with_temperature(never_unknown(logits, vocab), temperature), rng)
        newly = (ids == end) & ~finished
        lengths[newly] = t
        finished |= newly
        written[:, t] = ids
        if finished.all():
            break
        logits = reader.read(ids)
    return [vocab.decode(written[b, : lengths[b]]) for b in range(n)]


def acrostic(
    model: CharModel | Bigram,
    vocab: Vocabulary,
    heads: str,
    rng: np.random.Generator,
    temperature: float = 1.0,
    line_length: int = 5,
) -> Sample:
    """藏头诗: line k starts with heads[k]; ``line_length`` characters a line, "，" / "。".

    The heads and marks are given (``forced``); the model draws the rest, never punctuation,
    END or UNK inside a line. A head outside the vocabulary is read as UNK but shown as given.
    """
    check_temperature(temperature)
    if line_length not in LINE_LENGTHS:
        raise ValueError(
            _("line_length must be one of {lengths}; got {length}").format(
                lengths=LINE_LENGTHS, length=line_length
            )
        )
    if not heads:
        raise ValueError(_("heads must be at least one character"))
    bad = [ch for ch in heads if ch in PUNCTUATION or ch == END or ch.isspace()]
    if bad:
        raise ValueError(
            _("heads must be characters of a line, not {bad}").format(bad=repr("".join(bad)))
        )
    banned = np.zeros(len(vocab), dtype=bool)
    banned[vocab.ids_of(PUNCTUATION + END + UNK)] = True
    reader = Reader(model)
    logits = reader.begin(vocab)
    chars: list[str] = []
    confidence: list[float] = []
    forced: list[bool] = []

    def give(ch: str) -> np.ndarray:
        """Write a given character (shown as given even if the model reads it as UNK)."""
        k = int(vocab.encode(ch)[0])
        chars.append(ch)
        confidence.append(float(softmax_with_temperature(logits, 1.0)[0, k]))
        forced.append(True)
        return reader.read(np.array([k]))

    for line, head in enumerate(heads):
        logits = give(head)
        for _step in range(line_length - 1):
            p = softmax_with_temperature(np.where(banned, -np.inf, logits), temperature)
            k = int(draw(p, rng)[0])
            chars.append(vocab.chars[k])
            confidence.append(float(p[0, k]))
            forced.append(False)
            logits = reader.read(np.array([k]))
        last = line == len(heads) - 1
        mark = "。" if line % 2 == 1 or last else "，"
        logits = give(mark)
    return Sample("".join(chars), np.array(confidence), np.array(forced))
