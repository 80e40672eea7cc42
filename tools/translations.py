"""The Chinese edition: catalogues in, notebooks/zh/ out (CONTRIBUTING.md, "Translating").

The English notebooks are the source. A notebook's translation is ``i18n/zh/NN_name.yaml``, one
entry per translated cell, keyed by the English cell's id::

    - id: 618157ae        # the English cell's id
      en: |-              # the English source this translation was made from, exactly
        ## 6. Your turn: write the forget gate
      zh: |-
        ## 6. 轮到你：写出遗忘门

Every Markdown cell is translated whole. A code cell is translated when it has teaching comments
or English string literals: ``zh`` is the whole cell with comments and strings translated and
nothing else changed (same Python tokens; same ``# NBVAL_...`` and ``### BEGIN SOLUTION`` lines).

    python tools/translations.py extract [NB...]   add entries for new cells, flag changed ones
    python tools/translations.py accept NB [ID...] the stale entries' zh are updated: en = en_now
    python tools/translations.py status [--diff]   translated / missing / stale, per notebook
    python tools/translations.py check [NB...]     every problem, by notebook and cell id
    python tools/translations.py build [NB...]     write notebooks/zh/NN_name.ipynb (outputs empty)
    python tools/translations.py build --execute [NB...]    ... and execute them (``make zh``)
    python tools/translations.py pot               pybabel extract + update the package's .po
    python tools/translations.py compile           pybabel compile the .po into the .mo

NB is an English notebook (``notebooks/06_forget_gate.ipynb``) or its number (``06``); without
NB, every English notebook that has a catalogue. ``extract NB`` starts a catalogue.

When an English cell changes, its entry goes *stale*: ``extract`` keeps the old ``en`` and the
``zh``, and writes the cell's current source as ``en_now``, so the translator sees what changed.
Update ``zh``, then ``accept`` (it replaces ``en`` by ``en_now``). Until then ``build``
uses the English cell and tests/test_translations.py fails naming the notebook and the cell.
"""

from __future__ import annotations

import argparse
import difflib
import io
import re
import subprocess
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
EN_DIR = ROOT / "notebooks"
ZH_DIR = EN_DIR / "zh"
CATALOGUE_DIR = ROOT / "i18n" / "zh"
LOCALE_DIR = ROOT / "lstm_course" / "locale"
POT_FILE = LOCALE_DIR / "lstm_course.pot"
PO_FILE = LOCALE_DIR / "zh" / "LC_MESSAGES" / "lstm_course.po"
DOMAIN = "lstm_course"

LANGUAGE_CELL_ID = "zh-set-language"
LANGUAGE_CELL_SOURCE = 'import lstm_course\n\nlstm_course.set_language("zh")'

# Comments that are instructions to a tool, not prose: kept verbatim in a translation.
DIRECTIVE = re.compile(
    r"#\s*(NBVAL_\w+|#+\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)|noqa\b.*|type:\s*ignore\b.*|fmt:.*)"
)
# A string literal a student reads: two words of Latin letters ("Environment ready:") or a
# capitalised word ("Loss"); "lstm", "relu" and other lower-case keys are data.
PROSE = re.compile(r"[A-Za-z]{2,}[^A-Za-z\n]+[A-Za-z]{2,}|\b[A-Z][a-z]{2,}")
NOT_CODE = {
    tokenize.COMMENT,
    tokenize.STRING,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}
FSTRING_MIDDLE = getattr(tokenize, "FSTRING_MIDDLE", None)  # Python 3.12 splits f-strings


# --- cells ---------------------------------------------------------------------------------


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    # IPython magics and shell escapes are not Python: blank them so the rest still tokenizes.
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return list(tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []


def code_tokens(source: str) -> list[tuple[int, str]]:
    """The Python tokens of a code cell less comments and string text: what a translation keeps."""
    return [
        (tok.type, tok.string)
        for tok in _tokens(source)
        if tok.type not in NOT_CODE and tok.type != FSTRING_MIDDLE
    ]


def directive_lines(source: str) -> list[str]:
    """The tool-instruction comments of a code cell (NBVAL, nbgrader's solution markers, noqa)."""
    return [
        tok.string.strip()
        for tok in _tokens(source)
        if tok.type == tokenize.COMMENT and DIRECTIVE.match(tok.string.strip())
    ]


def translatable(cell: nbformat.NotebookNode) -> bool:
    """Markdown with text; a code cell with a teaching comment or an English string literal."""
    if not cell.source.strip():
        return False
    if cell.cell_type == "markdown":
        return True
    if cell.cell_type != "code":
        return False
    for tok in _tokens(cell.source):
        if tok.type == tokenize.COMMENT and not DIRECTIVE.match(tok.string.strip()):
            return True
        if tok.type in (tokenize.STRING, FSTRING_MIDDLE) and PROSE.search(tok.string):
            return True
    return False


# --- catalogues ----------------------------------------------------------------------------


class _LiteralDumper(yaml.SafeDumper):
    """Multi-line strings as ``|-`` blocks, so a catalogue reads like the cells it translates."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _represent_str)


def english_notebooks(en_dir: Path = EN_DIR) -> list[Path]:
    """The course's notebooks: ``NN_name.ipynb`` at the top of ``en_dir``."""
    return sorted(en_dir.glob("[0-9][0-9]_*.ipynb"))


def catalogue_path(notebook: Path, catalogue_dir: Path = CATALOGUE_DIR) -> Path:
    return catalogue_dir / f"{notebook.stem}.yaml"


def load_catalogue(path: Path) -> list[dict]:
    """The entries of a catalogue ([] if it does not exist)."""
    if not path.exists():
        return []
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for entry in entries:
        entry["id"] = str(entry["id"])
        entry["en"] = entry.get("en") or ""
        entry["zh"] = entry.get("zh") or ""
    return entries


def save_catalogue(path: Path, entries: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = [
        {key: entry[key] for key in ("id", "en", "en_now", "zh") if key in entry}
        for entry in entries
    ]
    text = yaml.dump(
        ordered, Dumper=_LiteralDumper, allow_unicode=True, sort_keys=False, width=1000
    )
    path.write_text(text, encoding="utf-8")


def extract(notebook: Path, catalogue_dir: Path = CATALOGUE_DIR) -> dict[str, int]:
    """Bring a notebook's catalogue up to date with its English cells; counts of what changed.

    New translatable cells get an entry (``en`` filled, ``zh`` empty); an entry whose ``en`` no
    longer matches its cell gets ``en_now`` (stale); entries of deleted cells go, but a new cell
    whose source equals a deleted one's ``en`` inherits its ``zh`` (a cell re-created anew).
    """
    nb = nbformat.read(notebook, as_version=4)
    path = catalogue_path(notebook, catalogue_dir)
    old = {entry["id"]: entry for entry in load_catalogue(path)}
    cell_ids = {cell.id for cell in nb.cells}
    orphans = {e["en"]: e for i, e in old.items() if i not in cell_ids and e.get("zh")}
    counts = {"added": 0, "stale": 0, "kept": 0, "dropped": len(old) - len(old.keys() & cell_ids)}
    entries = []
    for cell in nb.cells:
        entry = old.get(cell.id)
        if entry is None:
            if not translatable(cell):
                continue
            inherited = orphans.get(cell.source, {}).get("zh", "")
            entries.append({"id": cell.id, "en": cell.source, "zh": inherited})
            counts["added"] += 1
            continue
        entry = dict(entry)
        if entry["en"] == cell.source:
            entry.pop("en_now", None)
            counts["kept"] += 1
        else:
            entry["en_now"] = cell.source
            counts["stale"] += 1
        entries.append(entry)
    save_catalogue(path, entries)
    return counts


def accept(notebook: Path, cell_ids: list[str], catalogue_dir: Path = CATALOGUE_DIR) -> list[str]:
    """Mark stale entries as updated (``en`` = ``en_now``), all of them or those of ``cell_ids``;
    return the ids accepted. Run it after translating the change into ``zh``."""
    path = catalogue_path(notebook, catalogue_dir)
    entries = load_catalogue(path)
    accepted = []
    for entry in entries:
        if "en_now" in entry and (not cell_ids or entry["id"] in cell_ids):
            entry["en"] = entry.pop("en_now")
            accepted.append(entry["id"])
    save_catalogue(path, entries)
    return accepted


# --- checks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    notebook: str
    cell_id: str
    kind: str  # "stale", "missing", "code changed", "directive changed", "no such cell"
    detail: str = ""

    def __str__(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.notebook} cell {self.cell_id}: {self.kind}{detail}"


def problems(notebook: Path, catalogue_dir: Path = CATALOGUE_DIR) -> list[Problem]:
    """What keeps a notebook's translation from being complete and current."""
    nb = nbformat.read(notebook, as_version=4)
    entries = {
        entry["id"]: entry for entry in load_catalogue(catalogue_path(notebook, catalogue_dir))
    }
    found = []
    name = notebook.name
    for cell in nb.cells:
        entry = entries.pop(cell.id, None)
        if entry is None:
            if translatable(cell):
                found.append(Problem(name, cell.id, "missing", "no entry (run extract)"))
            continue
        if entry["en"] != cell.source or "en_now" in entry:
            diff = "".join(
                difflib.unified_diff(
                    entry["en"].splitlines(True),
                    cell.source.splitlines(True),
                    "translated from",
                    "English now",
                    n=0,
                )
            )
            found.append(
                Problem(name, cell.id, "stale translation", "English changed since\n" + diff)
            )
            continue
        if not entry["zh"].strip():
            if translatable(cell):  # an empty entry for a cell with nothing to translate is fine
                found.append(Problem(name, cell.id, "missing", "zh is empty"))
            continue
        if cell.cell_type == "code":
            if code_tokens(entry["zh"]) != code_tokens(cell.source):
                found.append(
                    Problem(name, cell.id, "code changed", "only comments and strings may change")
                )
            if directive_lines(entry["zh"]) != directive_lines(cell.source):
                found.append(
                    Problem(
                        name,
                        cell.id,
                        "directive changed",
                        f"keep {directive_lines(cell.source)} verbatim",
                    )
                )
    for cell_id in entries:
        found.append(Problem(name, cell_id, "no such cell", "the English cell was deleted"))
    return found


def counts(notebook: Path, catalogue_dir: Path = CATALOGUE_DIR) -> dict[str, int]:
    """translated / missing / stale cells of one notebook."""
    kinds = [p.kind for p in problems(notebook, catalogue_dir)]
    sources = {c.id: c.source for c in nbformat.read(notebook, as_version=4).cells}
    translated = [
        e
        for e in load_catalogue(catalogue_path(notebook, catalogue_dir))
        if sources.get(e["id"]) == e["en"] and "en_now" not in e and e["zh"].strip()
    ]
    missing, stale = kinds.count("missing"), kinds.count("stale translation")
    return {
        "translated": len(translated),
        "missing": missing,
        "stale": stale,
        "other": len(kinds) - missing - stale,
    }


# --- build ---------------------------------------------------------------------------------


def language_cell() -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(LANGUAGE_CELL_SOURCE)
    cell.id = LANGUAGE_CELL_ID
    return cell


def build_notebook(notebook: Path, catalogue_dir: Path = CATALOGUE_DIR) -> nbformat.NotebookNode:
    """The Chinese notebook: the English cells (ids, metadata, nbgrader marks and all) with each
    current translation in place, a first code cell that sets the language, outputs empty.
    A cell whose translation is missing or stale stays English."""
    nb = nbformat.read(notebook, as_version=4)
    entries = {e["id"]: e for e in load_catalogue(catalogue_path(notebook, catalogue_dir))}
    for cell in nb.cells:
        entry = entries.get(cell.id)
        current = entry and entry["en"] == cell.source and "en_now" not in entry
        if current and entry["zh"].strip():
            cell.source = entry["zh"]
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    nb.cells.insert(first_code, language_cell())
    nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    return nb


def ruff_format(path: Path) -> None:
    """``ruff format`` the built notebook, as ``make notebooks`` will: building twice is a no-op."""
    ruff = Path(sys.executable).parent / "ruff"
    command = [str(ruff)] if ruff.exists() else [sys.executable, "-m", "ruff"]
    subprocess.run([*command, "format", "--quiet", str(path)], check=True, cwd=ROOT)


def build(
    notebooks: list[Path],
    catalogue_dir: Path = CATALOGUE_DIR,
    out_dir: Path = ZH_DIR,
    *,
    keep_outputs: bool = True,
) -> list[Path]:
    """Write ``out_dir/NN_name.ipynb`` for each notebook; return the paths written.

    With ``keep_outputs``, a Chinese notebook whose cells did not change keeps its executed
    outputs (so building again does not undo ``make zh``'s execution); otherwise it is written
    with empty outputs, to be executed by ``tools/run_notebooks.py``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for notebook in notebooks:
        nb = build_notebook(notebook, catalogue_dir)
        path = out_dir / notebook.name
        tmp = path.with_suffix(".building.ipynb")
        nbformat.write(nb, tmp)
        ruff_format(tmp)
        fresh = nbformat.read(tmp, as_version=4)
        tmp.unlink()
        if keep_outputs and path.exists() and same_cells(nbformat.read(path, as_version=4), fresh):
            continue
        nbformat.write(fresh, path)
        written.append(path)
    return written


def same_cells(a: nbformat.NotebookNode, b: nbformat.NotebookNode) -> bool:
    """Same cells in the same order: ids, types, sources and metadata (outputs not compared)."""

    def key(nb: nbformat.NotebookNode) -> list[tuple]:
        return [
            (c.id, c.cell_type, c.source, {k: v for k, v in c.metadata.items() if k != "execution"})
            for c in nb.cells
        ]

    return key(a) == key(b)


# --- the package's catalogue (gettext, Babel) ----------------------------------------------


def pybabel(*args: str) -> None:
    exe = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(exe), *args], check=True, cwd=ROOT)


def update_package_catalogue() -> None:
    """Extract ``_()`` strings into the .pot, merge new ones into the zh .po (empty msgstr)."""
    pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_",
        "-k",
        "N_",
        "-k",
        "ngettext:1,2",
        "--no-location",
        "--sort-output",
        "-o",
        str(POT_FILE.relative_to(ROOT)),
        "lstm_course",
    )
    pybabel(
        "update",
        "-D",
        DOMAIN,
        "-i",
        str(POT_FILE.relative_to(ROOT)),
        "-d",
        str(LOCALE_DIR.relative_to(ROOT)),
        "-l",
        "zh",
        "--no-wrap",
        "--no-fuzzy-matching",
    )


def compile_package_catalogue() -> None:
    pybabel("compile", "-D", DOMAIN, "-d", str(LOCALE_DIR.relative_to(ROOT)), "-l", "zh")


# --- command line --------------------------------------------------------------------------


def resolve(
    names: list[str], en_dir: Path = EN_DIR, catalogue_dir: Path = CATALOGUE_DIR
) -> list[Path]:
    """English notebooks from paths or numbers; none given: those that have a catalogue."""
    if not names:
        return [
            nb for nb in english_notebooks(en_dir) if catalogue_path(nb, catalogue_dir).exists()
        ]
    paths = []
    for name in names:
        path = Path(name)
        if not path.suffix:
            matches = list(en_dir.glob(f"{name}_*.ipynb"))
            if len(matches) != 1:
                raise SystemExit(f"no single English notebook numbered {name} in {en_dir}")
            path = matches[0]
        elif path.parent.name == "zh":
            path = en_dir / path.name
        paths.append(path if path.is_absolute() else (ROOT / path))
    return paths


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("extract", "check", "build"):
        command = sub.add_parser(name)
        command.add_argument("notebooks", nargs="*")
        if name == "build":
            command.add_argument(
                "--execute", action="store_true", help="then run them (tools/run_notebooks.py)"
            )
    accept_parser = sub.add_parser("accept")
    accept_parser.add_argument("notebook")
    accept_parser.add_argument("cell_ids", nargs="*")
    status_parser = sub.add_parser("status")
    status_parser.add_argument("--diff", action="store_true", help="show each stale cell's diff")
    sub.add_parser("pot")
    sub.add_parser("compile")
    args = parser.parse_args(argv)

    if args.command == "extract":
        for notebook in resolve(args.notebooks):
            c = extract(notebook)
            print(
                f"{catalogue_path(notebook).relative_to(ROOT)}: {c['added']} added, "
                f"{c['stale']} stale, {c['kept']} kept, {c['dropped']} dropped"
            )
        return 0
    if args.command == "accept":
        (notebook,) = resolve([args.notebook])
        ids = accept(notebook, args.cell_ids)
        print(f"{catalogue_path(notebook).relative_to(ROOT)}: accepted {len(ids)} {' '.join(ids)}")
        return 0
    if args.command == "status":
        print(f"{'notebook':34} translated  missing  stale  other")
        for notebook in english_notebooks():
            if not catalogue_path(notebook).exists():
                print(f"{notebook.name:34} (no catalogue: extract {notebook.name[:2]})")
                continue
            c = counts(notebook)
            print(
                f"{notebook.name:34} {c['translated']:10} {c['missing']:8} {c['stale']:6} "
                f"{c['other']:6}"
            )
            if args.diff:
                for problem in problems(notebook):
                    if problem.kind == "stale translation":
                        print(problem)
        return 0
    if args.command == "check":
        found = [p for nb in resolve(args.notebooks) for p in problems(nb)]
        for problem in found:
            print(problem)
        print(f"{len(found)} problem(s)")
        return 1 if found else 0
    if args.command == "build":
        notebooks = resolve(args.notebooks)
        for path in build(notebooks):
            where = path.relative_to(ROOT)
            print(f"built {where}; execute it: make notebooks NB={where}")
        for notebook in notebooks:
            for p in problems(notebook):
                print(f"warning: {p.notebook} cell {p.cell_id}: {p.kind} (English kept)")
        if args.execute:
            sys.path.insert(0, str(ROOT / "tools"))
            import run_notebooks

            return run_notebooks.main([str(ZH_DIR / nb.name) for nb in notebooks])
        return 0
    if args.command == "pot":
        update_package_catalogue()
        return 0
    if args.command == "compile":
        compile_package_catalogue()
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
