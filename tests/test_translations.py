"""The Chinese edition stays in step with the English by construction (tools/translations.py).

- every catalogue entry was translated from its English cell's *current* source, else the test
  fails naming the notebook and the cell id ("stale translation"), shown failing below on a
  deliberate change in a copy;
- every translatable cell of a translated notebook has its Chinese; code cells change only
  comments and strings (same Python tokens, same NBVAL / nbgrader lines);
- notebooks/zh/ is exactly what ``build`` makes from the current sources (no hand edits), has
  been executed, and shows no missing-glyph warning;
- the package's catalogue: every ``_()`` string has its Chinese, and the committed .mo is what
  Babel compiles from the .po.
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import translations as tr  # noqa: E402

CATALOGUED = tr.resolve([])  # the English notebooks that have a catalogue in i18n/zh/
ZH_NOTEBOOKS = sorted(tr.ZH_DIR.glob("*.ipynb"))


def assert_translation_current(notebook: Path, catalogue_dir: Path = tr.CATALOGUE_DIR) -> None:
    """Fail, naming the notebook and each cell, if a translation is stale or broken."""
    found = [p for p in tr.problems(notebook, catalogue_dir) if p.kind != "missing"]
    assert not found, (
        "translations out of step with the English (update zh, then move en_now to en; "
        "tools/translations.py status --diff):\n" + "\n".join(map(str, found))
    )


def assert_translation_complete(notebook: Path, catalogue_dir: Path = tr.CATALOGUE_DIR) -> None:
    found = [p for p in tr.problems(notebook, catalogue_dir) if p.kind == "missing"]
    assert not found, "cells without their Chinese:\n" + "\n".join(map(str, found))


# --- the real catalogues -------------------------------------------------------------------


def test_the_mechanism_has_a_notebook_to_guard() -> None:
    assert CATALOGUED, "no catalogue in i18n/zh/: nothing below would be tested"


@pytest.mark.parametrize("notebook", CATALOGUED, ids=lambda p: p.stem)
def test_every_translation_was_made_from_the_current_english(notebook: Path) -> None:
    assert_translation_current(notebook)


@pytest.mark.parametrize("notebook", CATALOGUED, ids=lambda p: p.stem)
def test_every_translatable_cell_is_translated(notebook: Path) -> None:
    assert_translation_complete(notebook)


@pytest.mark.parametrize("notebook", CATALOGUED, ids=lambda p: p.stem)
def test_each_catalogue_has_its_chinese_notebook(notebook: Path) -> None:
    assert (tr.ZH_DIR / notebook.name).exists(), (
        f"notebooks/zh/{notebook.name} is missing: make zh NB={notebook.name[:2]}"
    )


@pytest.mark.parametrize("zh_notebook", ZH_NOTEBOOKS, ids=lambda p: p.stem)
def test_the_chinese_notebook_is_what_build_makes(zh_notebook: Path, tmp_path: Path) -> None:
    """No hand edits: built again from notebooks/ and i18n/zh/, the cells are the same."""
    english = tr.EN_DIR / zh_notebook.name
    assert english.exists(), f"{zh_notebook} has no English source"
    (rebuilt,) = tr.build([english], out_dir=tmp_path, keep_outputs=False)
    committed = nbformat.read(zh_notebook, as_version=4)
    assert tr.same_cells(committed, nbformat.read(rebuilt, as_version=4)), (
        f"notebooks/zh/{zh_notebook.name} differs from what tools/translations.py build makes "
        f"now (the English or the catalogue changed, or it was edited by hand): "
        f"make zh NB={zh_notebook.name[:2]}"
    )


@pytest.mark.parametrize("zh_notebook", ZH_NOTEBOOKS, ids=lambda p: p.stem)
def test_the_chinese_notebook_is_executed_and_renders(zh_notebook: Path) -> None:
    nb = nbformat.read(zh_notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].id == tr.LANGUAGE_CELL_ID
    assert all(c.execution_count for c in code if c.source.strip()), (
        f"{zh_notebook.name} is not executed: make zh NB={zh_notebook.name[:2]}"
    )
    text = nbformat.writes(nb)
    for symptom in ("missing from font", "does not have a glyph"):  # Text; mathtext
        assert symptom not in text, f"{zh_notebook.name}: a glyph had no font ({symptom!r})"
    assert '"output_type": "error"' not in text


# --- the mechanism, on copies --------------------------------------------------------------


@pytest.fixture
def copy_of_00(tmp_path: Path) -> tuple[Path, Path]:
    """notebook 00 and its catalogue, copied: (English notebook, catalogue dir)."""
    en_dir, catalogue_dir = tmp_path / "notebooks", tmp_path / "i18n"
    en_dir.mkdir()
    catalogue_dir.mkdir()
    notebook = shutil.copy(tr.EN_DIR / "00_start_here.ipynb", en_dir)
    shutil.copy(tr.catalogue_path(Path(notebook)), catalogue_dir)
    return Path(notebook), catalogue_dir


def change_cell(notebook: Path, index: int, new_source: str) -> str:
    nb = nbformat.read(notebook, as_version=4)
    nb.cells[index].source = new_source
    nbformat.write(nb, notebook)
    return nb.cells[index].id


def test_a_changed_english_cell_fails_naming_the_notebook_and_the_cell(copy_of_00) -> None:
    notebook, catalogue_dir = copy_of_00
    assert_translation_current(notebook, catalogue_dir)  # the copy passes as it is
    nb = nbformat.read(notebook, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown")
    cell_id = change_cell(notebook, index, nb.cells[index].source + "\n\nA new sentence.")
    with pytest.raises(AssertionError, match=rf"00_start_here.ipynb cell {cell_id}: stale") as e:
        assert_translation_current(notebook, catalogue_dir)
    assert "+A new sentence." in str(e.value)  # the diff shows the translator what changed


def test_extract_keeps_the_chinese_and_flags_the_change(copy_of_00) -> None:
    notebook, catalogue_dir = copy_of_00
    nb = nbformat.read(notebook, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown")
    old_en = nb.cells[index].source
    cell_id = change_cell(notebook, index, old_en + "\n\nA new sentence.")
    counts = tr.extract(notebook, catalogue_dir)
    assert counts["stale"] == 1
    entry = next(
        e for e in tr.load_catalogue(catalogue_dir / "00_start_here.yaml") if e["id"] == cell_id
    )
    assert entry["en"] == old_en and entry["en_now"].endswith("A new sentence.") and entry["zh"]
    # until the translator updates it, the Chinese edition shows the current English cell
    built = tr.build_notebook(notebook, catalogue_dir)
    assert next(c for c in built.cells if c.id == cell_id).source == old_en + "\n\nA new sentence."
    # the translator updates zh, then accepts: en_now becomes en, current again
    assert tr.accept(notebook, [], catalogue_dir) == [cell_id]
    assert_translation_current(notebook, catalogue_dir)


def test_a_new_cell_is_reported_missing_and_extract_adds_it(copy_of_00) -> None:
    notebook, catalogue_dir = copy_of_00
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("## A new section"))
    nbformat.write(nb, notebook)
    with pytest.raises(AssertionError, match=f"cell {nb.cells[-1].id}: missing"):
        assert_translation_complete(notebook, catalogue_dir)
    assert tr.extract(notebook, catalogue_dir)["added"] == 1


def test_code_may_change_only_in_comments_and_strings() -> None:
    en = '# the sum\ntotal = a + b  # both\nprint("Total:", total)'
    zh = '# 求和\ntotal = a + b  # 两者\nprint("总和：", total)'
    assert tr.code_tokens(zh) == tr.code_tokens(en)
    assert tr.code_tokens('# 求和\ntotal = a - b\nprint("总和：", total)') != tr.code_tokens(en)
    assert tr.code_tokens('# 求和\ntotal = a + b\nprint("总和：", totals)') != tr.code_tokens(en)


def test_a_translation_that_changes_code_or_an_nbgrader_line_is_named(copy_of_00) -> None:
    notebook, catalogue_dir = copy_of_00
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "# NBVAL_IGNORE_OUTPUT\n### BEGIN SOLUTION\nx = 1  # one\n### END SOLUTION"
        )
    )
    nb.cells.append(nbformat.v4.new_code_cell('print("Ready:", x)'))
    nbformat.write(nb, notebook)
    path = catalogue_dir / "00_start_here.yaml"
    entries = tr.load_catalogue(path) + [
        {
            "id": nb.cells[-2].id,
            "en": nb.cells[-2].source,
            "zh": "# NBVAL_IGNORE_OUTPUT\n### 开始 解答\nx = 1  # 一\n### END SOLUTION",
        },
        {"id": nb.cells[-1].id, "en": nb.cells[-1].source, "zh": 'print("准备好：", y)'},
    ]
    tr.save_catalogue(path, entries)
    kinds = {
        (p.cell_id, p.kind) for p in tr.problems(notebook, catalogue_dir) if p.kind != "missing"
    }
    assert kinds == {(nb.cells[-2].id, "directive changed"), (nb.cells[-1].id, "code changed")}


def test_what_counts_as_translatable() -> None:
    code = nbformat.v4.new_code_cell
    assert tr.translatable(nbformat.v4.new_markdown_cell("Some text"))
    assert tr.translatable(code("x = 1  # one"))
    assert tr.translatable(code('print("Environment ready:", ready)'))
    assert tr.translatable(code('ax.set_title("Loss")'))
    assert not tr.translatable(code("# NBVAL_IGNORE_OUTPUT\ndisplay(sigmoid_slider())"))
    assert not tr.translatable(code('train("lstm", 30)'))
    assert not tr.translatable(code("np.round(sigmoid(z), 3)"))


def test_build_keeps_ids_metadata_and_nbgrader_marks_and_sets_the_language(copy_of_00) -> None:
    notebook, catalogue_dir = copy_of_00
    nb = nbformat.read(notebook, as_version=4)
    grade = {
        "grade": True,
        "grade_id": "check_x",
        "locked": True,
        "points": 2,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    nb.cells[-1].metadata["nbgrader"] = grade
    nbformat.write(nb, notebook)
    built = tr.build_notebook(notebook, catalogue_dir)
    ids = [c.id for c in built.cells]
    assert (
        ids
        == [c.id for c in nb.cells][: ids.index(tr.LANGUAGE_CELL_ID)]
        + [tr.LANGUAGE_CELL_ID]
        + [c.id for c in nb.cells][ids.index(tr.LANGUAGE_CELL_ID) :]
    )
    language = built.cells[ids.index(tr.LANGUAGE_CELL_ID)]
    assert language.source == 'import lstm_course\n\nlstm_course.set_language("zh")'
    assert ids.index(tr.LANGUAGE_CELL_ID) == next(
        i for i, c in enumerate(built.cells) if c.cell_type == "code"
    )
    assert built.cells[-1].metadata["nbgrader"] == grade
    assert all(not c.get("outputs") for c in built.cells if c.cell_type == "code")
    assert built.metadata == {k: v for k, v in nb.metadata.items() if k != "widgets"}


# --- the package's catalogue ---------------------------------------------------------------


def package_msgids() -> set[str]:
    """Every string the package wraps in _() (or ngettext), as pybabel extract finds it."""
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "lstm_course"),
        method_map=[("**.py", "python")],
        keywords={"_": None, "N_": None, "ngettext": (1, 2)},
    ):
        found.update([message] if isinstance(message, str) else message)
    return found


def read_zh_po():
    with tr.PO_FILE.open("rb") as po:
        return read_po(po, locale="zh")


def test_every_package_string_has_its_chinese() -> None:
    catalogue = read_zh_po()
    wanted = package_msgids()
    assert wanted, "no _() string in the package"
    untranslated = sorted(
        m for m in wanted if m not in catalogue or not catalogue[m].string or catalogue[m].fuzzy
    )
    assert not untranslated, (
        "package strings without Chinese (python tools/translations.py pot, fill the .po, "
        "python tools/translations.py compile):\n" + "\n".join(untranslated)
    )


def test_the_compiled_mo_is_what_babel_compiles_from_the_po() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, read_zh_po())
    mo = tr.PO_FILE.with_suffix(".mo")
    assert mo.read_bytes() == compiled.getvalue(), "run: python tools/translations.py compile"
