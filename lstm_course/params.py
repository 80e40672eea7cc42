"""Parameters of a recurrent cell: one idiom for every cell of the course.

A parameter class is a frozen dataclass that inherits ``CellParams`` and says, in ``SHAPES``,
the shape of each field in words (``hidden``, ``input``), or which parameter class a field
holds (the peephole LSTM holds an ``LSTMParams``)::

    @dataclass(frozen=True)
    class RNNParams(CellParams):
        SHAPES = recurrent_blocks(("W", "b"))     # W (H, H + D), b (H,)
        W: np.ndarray
        b: np.ndarray

``CellParams`` then gives it, once for all of them: every array made finite and read-only;
its sizes H and D (those most fields agree on, the rows of a W first); a ValueError naming
the one field that does not fit, e.g. ``b_f has shape (3,); expected (2,) = (hidden,)``;
``hidden_size``, ``input_size``, ``BLOCKS`` (the (W, b) pairs acting on [h_{t-1}, x_t]), and
the initialisers ``random`` (PyTorch's ±1/√H) and ``zeros``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar, Self

import numpy as np

from lstm_course.i18n import _
from lstm_course.shapes import WEIGHT_MEANING, as_float_array, check_shape, frozen

HIDDEN, INPUT = "hidden", "input"
W_SHAPE = (HIDDEN, f"{HIDDEN} + {INPUT}")  # every W acting on [h_{t-1}, x_t]
B_SHAPE = (HIDDEN,)  # every bias, and every per-unit vector such as a peephole p_f

Shape = tuple[str, ...]


def recurrent_blocks(*pairs: tuple[str, str]) -> dict[str, Shape]:
    """``SHAPES`` for (W, b) pairs acting on [h_{t-1}, x_t]: W (H, H + D) and b (H,) each."""
    return {name: shape for W, b in pairs for name, shape in ((W, W_SHAPE), (b, B_SHAPE))}


def _meaning(shape: Shape) -> str:
    """A shape in words as errors print it: "(hidden,)", "(hidden, hidden + input)"."""
    if len(shape) == 1:
        return f"({shape[0]},)"
    return f"({', '.join(shape)})"


def _size(word: str, hidden: int, inputs: int) -> int:
    return {HIDDEN: hidden, INPUT: inputs, W_SHAPE[1]: hidden + inputs}[word]


class CellParams:
    """Mixin for a frozen dataclass whose fields ``SHAPES`` describes (see the module docstring).

    On construction every array field becomes a finite, read-only float array and the shapes
    are checked; a nested parameter field must be an instance of its class.
    """

    SHAPES: ClassVar[dict[str, Shape | type]]
    BLOCKS: ClassVar[tuple[tuple[str, str], ...]]
    _SIZE_FIELDS: ClassVar[tuple[str, str, bool]]  # H's field; D's field, and whether D = cols − H

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        shapes = cls.SHAPES
        input_field = next(  # the first field whose shape shows D: a W, W_in or a nested set
            (n, s == W_SHAPE)
            for n, s in shapes.items()
            if isinstance(s, type) or s == W_SHAPE or s[1:] == (INPUT,)
        )
        cls._SIZE_FIELDS = (next(iter(shapes)), *input_field)
        cls.BLOCKS = tuple(
            (W, "b" + W[1:])
            for W, shape in shapes.items()
            if shape == W_SHAPE and shapes.get("b" + W[1:]) == B_SHAPE
        )

    def __post_init__(self) -> None:
        arrays: dict[str, np.ndarray] = {}
        for name, shape in self.SHAPES.items():
            value = getattr(self, name)
            if isinstance(shape, type):
                if not isinstance(value, shape):
                    message = _("{name} must be an {expected}; got {kind}")
                    raise ValueError(
                        message.format(
                            name=name, expected=shape.__name__, kind=type(value).__name__
                        )
                    )
                continue
            array = frozen(as_float_array(name, value))
            if array.ndim != len(shape):
                message = _("{name} has shape {shape}; expected {expected}")
                raise ValueError(
                    message.format(name=name, shape=array.shape, expected=_(_meaning(shape)))
                )
            arrays[name] = array
            object.__setattr__(self, name, array)
        hidden, inputs = self._sizes(arrays)
        for name, array in arrays.items():
            expected = tuple(_size(word, hidden, inputs) for word in self.SHAPES[name])
            check_shape(name, array, expected, _meaning(self.SHAPES[name]))

    def _sizes(self, arrays: dict[str, np.ndarray]) -> tuple[int, int]:
        """(H, D) as most fields say, the rows of the W's first: so a wrong bias is named."""
        nested = [getattr(self, n) for n, s in self.SHAPES.items() if isinstance(s, type)]
        two_d = {n: a for n, a in arrays.items() if a.ndim == 2}
        hidden_votes = Counter(a.shape[0] for a in two_d.values())
        hidden_votes.update(p.hidden_size for p in nested)
        hidden_votes.update(a.size for a in arrays.values() if a.ndim == 1)
        hidden = hidden_votes.most_common(1)[0][0]
        input_votes = Counter(p.input_size for p in nested)
        for name, array in two_d.items():
            columns = self.SHAPES[name][1]
            if columns == W_SHAPE[1]:
                input_votes[array.shape[1] - hidden] += 1
            elif columns == INPUT:
                input_votes[array.shape[1]] += 1
        inputs = input_votes.most_common(1)[0][0] if input_votes else 0
        if hidden == 0 or inputs < 1:
            W_name, b_name = self.BLOCKS[0]
            W, b = arrays[W_name], arrays[b_name]
            message = _(
                "{W} has shape {W_shape} and {b} has shape {b_shape}; expected "
                "({H}, {H} + input) = {meaning} with input ≥ 1"
            )
            raise ValueError(
                message.format(
                    W=W_name,
                    W_shape=W.shape,
                    b=b_name,
                    b_shape=b.shape,
                    H=hidden,
                    meaning=_(WEIGHT_MEANING),
                )
            )
        return hidden, inputs

    @property
    def hidden_size(self) -> int:
        """H, the number of hidden units (read from the first field, checked to agree)."""
        first = getattr(self, self._SIZE_FIELDS[0])
        return first.hidden_size if isinstance(first, CellParams) else first.shape[0]

    @property
    def input_size(self) -> int:
        """D, the number of input features (the length of x_t)."""
        name, minus_hidden = self._SIZE_FIELDS[1:]
        value = getattr(self, name)
        if isinstance(value, CellParams):
            return value.input_size
        return value.shape[1] - (self.hidden_size if minus_hidden else 0)

    @classmethod
    def random(cls, input_size: int, hidden_size: int, rng: np.random.Generator) -> Self:
        """Every field uniform in ±1/√H, as PyTorch initialises its recurrent layers.

        Fields are drawn in the order the class declares them (a nested parameter set first
        draws all of its own), so the same seed gives the same numbers.
        """
        bound = 1.0 / np.sqrt(hidden_size)
        values = {}
        for name, shape in cls.SHAPES.items():
            if isinstance(shape, type):
                values[name] = shape.random(input_size, hidden_size, rng)
            else:
                size = tuple(_size(word, hidden_size, input_size) for word in shape)
                values[name] = rng.uniform(-bound, bound, size)
        return cls(**values)

    @classmethod
    def zeros(cls, input_size: int, hidden_size: int) -> Self:
        """All weights and biases zero: every σ gate is σ(0) = 0.5, every tanh layer 0."""
        values = {}
        for name, shape in cls.SHAPES.items():
            if isinstance(shape, type):
                values[name] = shape.zeros(input_size, hidden_size)
            else:
                values[name] = np.zeros([_size(word, hidden_size, input_size) for word in shape])
        return cls(**values)
