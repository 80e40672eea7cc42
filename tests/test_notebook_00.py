"""Notebook 00 as committed: its map points at real notebooks and its summary counts them; the
notation it promises is defined where a student starts."""

import re

from stored_outputs import NOTEBOOKS, printed, read_notebook

NUMBER_WORDS = {10: "Ten", 11: "Eleven", 12: "Twelve", 13: "Thirteen"}


def map_links() -> list[str]:
    cell = next(
        c for c in read_notebook("00_start_here").cells if c.source.startswith("## The map")
    )
    return re.findall(r"\]\((\d\d_[a-z_]+\.ipynb)\)", cell.source)


def test_every_map_link_is_a_notebook_and_the_summary_counts_them():
    links = map_links()
    assert links == sorted(links) and len(links) >= 10
    assert all((NOTEBOOKS / link).exists() for link in links)
    summary = read_notebook("00_start_here").cells[-1].source
    assert f"{NUMBER_WORDS[len(links) + 1]} notebooks" in summary  # the map, plus 00 itself


def test_the_notation_names_both_products_before_any_notebook_uses_them():
    notation = next(
        c.source for c in read_notebook("00_start_here").cells if "### Notation" in c.source
    )
    assert r"$W \cdot v$" in notation and "matrix–vector product" in notation
    assert r"$a \odot b$" in notation and "pointwise product" in notation
    assert "`W @ v`" in notation and "`a * b`" in notation


def test_the_sliders_task_names_notebook_six_bias():
    b_f = re.search(r"b_f = \[([^\]]+)\]", printed(read_notebook("06_forget_gate")))[1].split()
    notation = next(
        c.source for c in read_notebook("00_start_here").cells if "### Notation" in c.source
    )
    assert f"the exact $z$, {b_f[2]}, as a bias" in notation
