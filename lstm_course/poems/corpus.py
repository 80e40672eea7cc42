"""The corpus: the Tang poems as one text (each text once), split by poem; vocabulary; form.

The text is every poem's lines run together, each poem ended by a newline ``"\\n"`` (the
end-of-poem character, which the model also learns to write)::

    西陆蝉声唱，南冠客思侵。那堪玄鬓影，来对白头吟。…谁为表予心。\\n前不见古人，后不见来者。…

The collection repeats 15 poems word for word, most under another title or author (访羊尊师 is
寻隐者不遇, 登楼 is 登鹳雀楼, 清平调 and 春宫怨 appear three times); ``load_corpus`` keeps each
text once (its first occurrence), 351 poems. About 10 % of them (``HELD_OUT_SHARE``, chosen
with the seed ``SPLIT_SEED``) are held out: no model trains on them, and every held-out
perplexity is measured on them. A held-out poem must be new: it is chosen only among the poems
none of whose lines occurs in another poem (蜀道难 shares 35 of its 46 lines with a second copy
under another title; 66 poems share a line), so no held-out line is ever seen in training.

A *line* (句) is a run of characters ended by a punctuation mark: ``西陆蝉声唱，`` is a line of
five characters ended by "，". A regular poem's lines have five (五言) or seven (七言)
characters each and end alternately in "，" and "。"; ``line_in_form`` checks that.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from lstm_course.i18n import _

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "chinese-poetry" / "tangshi_300_simplified.json"
HELD_OUT_SHARE = 0.10
SPLIT_SEED = 0
END = "\n"  # ends every poem
UNK = "□"  # any character outside the vocabulary
MIN_COUNT = 2  # a character is in the vocabulary if the training poems use it this often
PUNCTUATION = "，。？！"
LINE_LENGTHS = (5, 7)  # 五言 and 七言
LINE = re.compile(rf"([^{PUNCTUATION}{END}]*)([{PUNCTUATION}]|$)")


@dataclass(frozen=True)
class Poem:
    title: str
    author: str
    text: str  # its lines run together, without the END mark


@dataclass(frozen=True)
class Corpus:
    """The poems, split by poem into training and held-out ones (index lists into ``poems``)."""

    poems: tuple[Poem, ...]
    train_index: tuple[int, ...]
    held_out_index: tuple[int, ...]
    repeats: tuple[tuple[Poem, Poem], ...] = ()  # (a repeat left out, the poem kept)

    @property
    def train_poems(self) -> list[Poem]:
        return [self.poems[k] for k in self.train_index]

    @property
    def held_out_poems(self) -> list[Poem]:
        return [self.poems[k] for k in self.held_out_index]

    @property
    def train_text(self) -> str:
        """The training poems as one text, each ended by END."""
        return as_text(self.train_poems)

    @property
    def held_out_text(self) -> str:
        """END, then the held-out poems, each ended by END (the first END starts the first poem)."""
        return END + as_text(self.held_out_poems)


def as_text(poems: list[Poem]) -> str:
    """The poems' texts, each followed by END."""
    return "".join(poem.text + END for poem in poems)


@cache
def load_corpus(path: Path = DATA, held_out_share: float = HELD_OUT_SHARE) -> Corpus:
    """Read the simplified poems and hold out ``held_out_share`` of them, chosen with SPLIT_SEED."""
    if not path.is_file():
        raise FileNotFoundError(
            _(
                "{path} is missing: the corpus ships with the course in data/chinese-poetry/ "
                "(remake it with tools/convert_poems.py)"
            ).format(path=path)
        )
    if not 0 < held_out_share < 1:
        raise ValueError(
            _("held_out_share must be between 0 and 1; got {share}").format(share=held_out_share)
        )
    raw = json.loads(path.read_text(encoding="utf-8"))
    read = [Poem(p["title"], p["author"], "".join(p["paragraphs"])) for p in raw]
    poems = distinct_poems(read)
    first = {poem.text: poem for poem in poems}
    repeats = tuple((poem, first[poem.text]) for poem in read if first[poem.text] is not poem)
    sharing = poems_sharing_a_line(poems)
    new = [k for k in range(len(poems)) if k not in sharing]
    n_held_out = round(held_out_share * len(poems))
    if n_held_out > len(new):
        raise ValueError(
            _(
                "held_out_share {share} asks for {n} held-out poems, but only "
                "{available} poems share no line with another"
            ).format(share=held_out_share, n=n_held_out, available=len(new))
        )
    chosen = np.random.default_rng(SPLIT_SEED).permutation(new)[:n_held_out]
    held_out = tuple(sorted(int(k) for k in chosen))
    train = tuple(sorted(set(range(len(poems))) - set(held_out)))
    return Corpus(poems, train, held_out, repeats)


def distinct_poems(poems) -> tuple[Poem, ...]:
    """The poems with each text kept once, at its first occurrence (the collection repeats 15)."""
    seen: set[str] = set()
    kept = []
    for poem in poems:
        if poem.text not in seen:
            seen.add(poem.text)
            kept.append(poem)
    return tuple(kept)


def poems_sharing_a_line(poems: tuple[Poem, ...]) -> set[int]:
    """The indices of the poems with a line (its characters, without the mark) in another poem."""
    owners: dict[str, set[int]] = {}
    for k, poem in enumerate(poems):
        for body, _mark in split_lines(poem.text):
            owners.setdefault(body, set()).add(k)
    return {k for ks in owners.values() if len(ks) > 1 for k in ks}


class Vocabulary:
    """The characters a model knows, most frequent first; id = position in ``chars``.

    Built from the training text: every character seen there at least ``min_count`` times,
    then END, then UNK ("□"), which stands for every other character (the rare ones, and those
    of held-out poems never seen in training). Perplexities are measured with UNK as one more
    character, the usual practice for a closed vocabulary (every model is scored the same way);
    sampling never writes it.
    """

    def __init__(self, text: str, min_count: int = 1) -> None:
        if min_count < 1:
            raise ValueError(_("min_count must be at least 1; got {n}").format(n=min_count))
        counts = Counter(text)
        kept = [ch for ch in counts if counts[ch] >= min_count and ch not in (END, UNK)]
        self.chars = (*sorted(kept, key=lambda ch: (-counts[ch], ch)), END, UNK)
        self.counts = np.array([counts.get(ch, 0) for ch in self.chars])
        self.index = {ch: k for k, ch in enumerate(self.chars)}
        self.unknown = self.index[UNK]
        self.min_count = min_count

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """The characters' ids, (len(text),) int64; a character not in ``chars`` is UNK."""
        return np.array([self.index.get(ch, self.unknown) for ch in text], dtype=np.int64)

    def decode(self, ids) -> str:
        """The characters of the ids (UNK as "□")."""
        return "".join(self.chars[int(k)] for k in ids)

    def ids_of(self, chars: str) -> list[int]:
        """The ids of the characters in ``chars`` that are in the vocabulary."""
        return [self.index[ch] for ch in chars if ch in self.index]


@cache
def corpus_vocabulary() -> Vocabulary:
    """The models' vocabulary: characters seen at least MIN_COUNT times in the training poems."""
    return Vocabulary(load_corpus().train_text, MIN_COUNT)


# --- Form ------------------------------------------------------------------------------------


def split_lines(text: str) -> list[tuple[str, str]]:
    """A poem's lines as (characters, mark) pairs; an unfinished last line has mark "".

    ``split_lines("前不见古人，后不见来者。")`` -> [("前不见古人", "，"), ("后不见来者", "。")].
    """
    text = text.split(END, 1)[0]
    return [(body, mark) for body, mark in LINE.findall(text) if body or mark]


def line_in_form(body: str, mark: str, k: int) -> bool:
    """Line k (from 0) of a regular poem: 5 or 7 characters, then "，" if k is even, else "。"."""
    return len(body) in LINE_LENGTHS and mark == ("，" if k % 2 == 0 else "。")


def poem_in_form(text: str) -> bool:
    """Every line in form, all of one length, and an even number of lines (whole couplets)."""
    lines = split_lines(text)
    return (
        len(lines) >= 2
        and len(lines) % 2 == 0
        and len({len(body) for body, _mark in lines}) == 1
        and all(line_in_form(body, mark, k) for k, (body, mark) in enumerate(lines))
    )


@dataclass(frozen=True)
class FormScore:
    """Over a set of poems: the share of lines in form, and of poems entirely in form."""

    lines: float
    poems: float
    n_lines: int
    n_poems: int


def form_score(poems: list[str]) -> FormScore:
    """How many lines (and whole poems) keep the regular form of ``line_in_form``."""
    if not poems:
        raise ValueError(_("form_score needs at least one poem"))
    flags = [
        line_in_form(body, mark, k)
        for text in poems
        for k, (body, mark) in enumerate(split_lines(text))
    ]
    whole = [poem_in_form(text) for text in poems]
    return FormScore(
        lines=float(np.mean(flags)) if flags else 0.0,
        poems=float(np.mean(whole)),
        n_lines=len(flags),
        n_poems=len(poems),
    )


def corpus_lines(poems: list[Poem]) -> set[str]:
    """Every line's characters (without its mark) in these poems."""
    return {body for poem in poems for body, _mark in split_lines(poem.text)}


def verbatim_share(poems: list[str], known_lines: set[str]) -> float:
    """The share of the poems' finished lines found word for word among ``known_lines``."""
    lines = [body for text in poems for body, mark in split_lines(text) if mark and body]
    if not lines:
        return 0.0
    return float(np.mean([body in known_lines for body in lines]))


def position_in_line(text: str) -> np.ndarray:
    """For each character of ``text``, how many characters of its line came before it.

    The first character of a line is 0; a punctuation mark gets its line's length; END is -1.
    ``position_in_line("白日依山尽，")`` -> [0, 1, 2, 3, 4, 5].
    """
    positions = []
    k = 0
    for ch in text:
        if ch == END:
            positions.append(-1)
            k = 0
        elif ch in PUNCTUATION:
            positions.append(k)
            k = 0
        else:
            positions.append(k)
            k += 1
    return np.array(positions, dtype=np.int64)
