"""Convert the Three Hundred Tang Poems to simplified characters, once: notebook 12's corpus.

    .venv/bin/python -m pip install 'opencc==1.4.2'   # only for this script, not for the course
    .venv/bin/python tools/convert_poems.py

Reads ``data/chinese-poetry/tangshi_300.json`` (traditional characters, as collected by the
chinese-poetry project; see the README beside it) and writes ``tangshi_300_simplified.json``
beside it: the same 366 poems in the same order, with ``title``, ``author`` and ``paragraphs``
converted by OpenCC's ``t2s`` (traditional → simplified) configuration, and ``tags`` and ``id``
kept as they are. The output is committed, so the course never needs OpenCC.

One more change, named here because it changes the text: eight lines carry editorial brackets
around a single character (``[玄]宗回馬楊妃死``, a variant reading marked by the collection's
editors). The brackets are not part of the poem; they are removed and the character kept.

Two corrections for a Chinese reader, after the conversion (``CORRECTIONS``):

- the first poem's title, 在嶽詠蟬 in the collection (a typo: 嶽 "mountain peak", which t2s makes
  岳), is 骆宾王's 《在狱咏蝉》 "written in prison": 岳 → 狱 in that title;
- OpenCC's t2s keeps the traditional form 沈 where the lines mean "sink" (风多响易沈); standard
  simplified Chinese writes 沉: 沈 → 沉 in the poems' lines (seven places), never in a name
  (the poet 沈佺期 keeps his surname).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import opencc

FOLDER = Path(__file__).resolve().parents[1] / "data" / "chinese-poetry"
SOURCE = FOLDER / "tangshi_300.json"
TARGET = FOLDER / "tangshi_300_simplified.json"
EDITORIAL_MARKS = str.maketrans("", "", "[]")
TITLE_CORRECTIONS = {"在岳咏蝉": "在狱咏蝉"}  # a typo in the collection (嶽 for 獄)
LINE_CORRECTIONS = str.maketrans("沈", "沉")  # "sink": t2s keeps the traditional form


def simplify(poems: list[dict], converter: opencc.OpenCC) -> list[dict]:
    """The poems with title, author and every line in simplified characters, brackets removed."""

    def convert(text: str) -> str:
        return converter.convert(text.translate(EDITORIAL_MARKS))

    def correct_title(title: str) -> str:
        return TITLE_CORRECTIONS.get(title, title)

    return [
        {
            "title": correct_title(convert(poem["title"])),
            "author": convert(poem["author"]),
            "paragraphs": [
                convert(line).translate(LINE_CORRECTIONS) for line in poem["paragraphs"]
            ],
            "tags": poem.get("tags", []),
            "id": poem["id"],
        }
        for poem in poems
    ]


def main() -> int:
    poems = json.loads(SOURCE.read_text(encoding="utf-8"))
    simplified = simplify(poems, opencc.OpenCC("t2s.json"))
    text = json.dumps(simplified, ensure_ascii=False, indent=1) + "\n"
    TARGET.write_text(text, encoding="utf-8")
    characters = "".join(line for poem in simplified for line in poem["paragraphs"])
    print(
        f"wrote {TARGET.name}: {len(simplified)} poems, {len(characters):,} characters, "
        f"{len(set(characters)):,} distinct (OpenCC {opencc.__version__}, t2s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
