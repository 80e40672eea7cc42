"""The glossary of notebook 00 against the Chinese the notebooks' Markdown uses.

1. Every Chinese character in the Markdown of every notebook (notebooks/NN_*.ipynb) is part of a
   glossary term — except inside quotations ("…", “…”, 「…」, 『…』, 《…》, > blockquotes), where
   the article's sentences, example sentences, section titles and poems stand as written.
2. Wherever the prose glosses a term next to English — ``English (中文)``, ``(中文, English …)``
   or ``中文 (English …)`` / ``中文 *English*`` — the English is the glossary's, so each term has
   one translation across the course (a plural or verb ending and the glossary's abbreviation,
   such as RNN, are allowed).
3. The glossary itself: one row per term, no term twice, every row translated.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHAR = re.compile(f"[{CJK}]")
QUOTATIONS = re.compile(r'"[^"]*"|“[^”]*”|「[^」]*」|『[^』]*』|《[^》]*》|^\s*>.*$', re.MULTILINE)
MATH_OR_CODE = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", re.DOTALL)
ENDINGS = ("", "s", "es", "d", "ed", "ing")  # a gloss may inflect the glossary's English


class Entry:
    """One glossary row: the Chinese term, its English, and the English's abbreviation."""

    def __init__(self, chinese: str, english: str):
        self.chinese = chinese
        match = re.fullmatch(r"(.+?)(?: \(([A-Z]{2,})\))?", english)
        self.english, self.abbreviation = match[1].lower(), match[2]
        self.pattern = r"[\s*]*".join(re.escape(word) for word in chinese.split())

    def forms(self) -> list[str]:
        return [self.english] + ([self.abbreviation.lower()] if self.abbreviation else [])


def plain(text: str) -> str:
    """Markdown as read: emphasis, links' brackets and table bars dropped, spaces collapsed."""
    text = re.sub(r"\*+|_{2,}", "", text)
    return re.sub(r"\s+", " ", text)


@cache
def glossary() -> dict[str, Entry]:
    """The rows of every table in notebook 00's glossary section (## Glossary … next ##)."""
    cells = nbformat.read(NOTEBOOKS / "00_start_here.ipynb", as_version=4).cells
    rows, inside = [], False
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for line, below in zip(lines, lines[1:] + [""], strict=True):
            if line.startswith("## "):
                inside = line.startswith("## Glossary")
            is_row = line.startswith("|") and not set(line) <= set("|-: ")
            is_header = set(below) <= set("|-: ") and "-" in below
            if inside and is_row and not is_header:
                rows.append(line)
    entries: dict[str, Entry] = {}
    for row in rows:
        chinese, english = (plain(c).strip() for c in row.strip("|").split("|")[:2])
        assert chinese not in entries, f"the glossary lists {chinese} twice"
        assert english, f"{chinese} has no English in the glossary"
        entries[chinese] = Entry(chinese, english)
    return entries


def markdown(path: Path) -> list[tuple[int, str]]:
    cells = nbformat.read(path, as_version=4).cells
    return [(k, c.source) for k, c in enumerate(cells) if c.cell_type == "markdown"]


def unquoted(source: str) -> str:
    """The source with every quotation blanked out (same length, so positions still match)."""
    return QUOTATIONS.sub(lambda m: " " * len(m[0]), source)


@cache
def term_finder() -> tuple[re.Pattern[str], list[Entry]]:
    """All glossary terms, longest first, so 记忆门 is read as one term, not 记忆 + 门."""
    entries = sorted(glossary().values(), key=lambda e: len(e.chinese), reverse=True)
    return re.compile("|".join(f"(?P<t{k}>{e.pattern})" for k, e in enumerate(entries))), entries


def found_terms(text: str):
    """(entry, match) for every glossary term in text, leftmost-longest, not overlapping."""
    finder, entries = term_finder()
    for match in finder.finditer(text):
        yield entries[int(match.lastgroup[1:])], match


def test_the_glossary_has_the_terms_a_chinese_student_needs():
    needed = (
        "梯度消失 梯度爆炸 反向传播 随时间反向传播 链式法则 谱半径 奇异值 雅可比矩阵 均方误差 "
        "学习率 优化器 泛化 独热编码 嵌入 权重共享 前馈 门控循环单元 细胞状态 遗忘门 输入门 输出门"
    ).split()
    missing = [term for term in needed if term not in glossary()]
    assert not missing, f"not in the glossary: {missing}"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_every_chinese_term_outside_quotations_is_in_the_glossary(path):
    unknown = []
    for k, source in markdown(path):
        text = unquoted(source)
        covered = [False] * len(text)
        for _, match in found_terms(text):
            covered[match.start() : match.end()] = [True] * (match.end() - match.start())
        for run in re.finditer(f"[{CJK}]+", text):
            if not all(covered[run.start() : run.end()]):
                unknown.append(
                    f"cell {k}: {run[0]!r} in …{text[max(0, run.start() - 40) : run.end() + 20]!r}"
                )
    assert not unknown, (
        f"{path.name}: Chinese outside quotations that is not (made of) glossary terms — add the "
        "term to the glossary in 00, or quote the article's words:\n" + "\n".join(unknown)
    )


def glossed_english(text: str, match: re.Match) -> tuple[str, str] | None:
    """The English the prose gives a term at ``match``, and which side it is on; or None."""
    before, after = text[: match.start()].rstrip(), text[match.end() :]
    opens_parenthesis = before.endswith("(")
    follows = (  # (中文, English …), 中文 (English …) or 中文 *English*: the English follows
        (opens_parenthesis and re.match(r",\s*\**([A-Za-z][^,;()\n]*)", after))
        or re.match(r" ?\(\**([A-Za-z][^,;()\n]*)", after)
        or re.match(r" ?\*([A-Za-z][^*\n]*)\*", after)
    )
    if follows:
        return plain(MATH_OR_CODE.sub("", follows[1])).strip().lower(), "after"
    if opens_parenthesis and re.match(r"\s*[);]", after):  # English (中文) or English (中文; …)
        ahead = before[:-1].rstrip()
        if ahead.endswith(("$", "`")):
            return None  # the term glosses a symbol, not an English name
        return plain(MATH_OR_CODE.sub("", ahead)).strip().lower(), "before"
    return None


def agrees(english: str, side: str, entry: Entry) -> bool:
    for form in entry.forms():
        for ending in ENDINGS:
            word = form + ending
            if side == "before" and re.search(rf"(^|[^a-z]){re.escape(word)}$", english):
                return True
            if side == "after" and re.match(rf"{re.escape(word)}([^a-z-]|$)", english):
                return True
    return False


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_every_gloss_uses_the_glossary_translation(path):
    wrong = []
    for k, source in markdown(path):
        text = unquoted(source)
        for entry, match in found_terms(text):
            gloss = glossed_english(text, match)
            if gloss and not agrees(*gloss, entry):
                english, side = gloss
                shown = english[-40:] if side == "before" else english[:40]
                wrong.append(
                    f"cell {k}: {entry.chinese} glossed as …{shown!r}; the glossary says "
                    f"{' / '.join(entry.forms())!r}"
                )
    assert not wrong, f"{path.name}: one term, one translation:\n" + "\n".join(wrong)


def test_the_glossary_finds_quotations_terms_and_glosses():
    """The machinery on made-up text, so the checks above cannot pass by finding nothing."""
    assert len(glossary()) > 80
    text = unquoted('the **cell state** (细胞状态) and "我最常说汉语" and the loss (损失函数)')
    assert "汉语" not in text
    terms = {e.chinese: glossed_english(text, m) for e, m in found_terms(text)}
    assert terms["细胞状态"] == ("the cell state", "before")
    assert agrees(*terms["细胞状态"], glossary()["细胞状态"])
    assert not agrees(
        *terms["损失函数"], glossary()["损失函数"]
    )  # "the loss" is not "loss function"
    after = "(循环神经网络, RNN) and 遗忘门 *forget gate*"
    glosses = [glossed_english(after, m) for _, m in found_terms(after)]
    assert glosses == [("rnn", "after"), ("forget gate", "after")]
