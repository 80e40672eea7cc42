"""lstm_course.i18n: English by default, Chinese on request, and Chinese that renders."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Iterator

import matplotlib as mpl
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lstm_course import i18n


@pytest.fixture
def chinese() -> Iterator[None]:
    """The package in Chinese for one test; English and matplotlib's fonts restored after."""
    fonts = {key: list(mpl.rcParams[key]) for key in ("font.sans-serif", "font.family")}
    i18n.set_language("zh")
    try:
        yield
    finally:
        i18n.set_language("en")
        mpl.rcParams.update(fonts)


def test_english_is_the_default() -> None:
    assert i18n.language() == "en"
    assert i18n._("hidden state") == "hidden state"


def test_an_unknown_language_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'fr'"):
        i18n.set_language("fr")
    assert i18n.language() == "en"


def test_chinese_puts_the_cjk_font_after_dejavu(chinese: None) -> None:
    assert i18n.language() == "zh"
    assert mpl.rcParams["font.sans-serif"][:2] == ["DejaVu Sans", "Noto Sans CJK SC"]
    assert mpl.rcParams["font.family"] == ["sans-serif", "Noto Sans CJK SC"]
    assert i18n.cjk_font_path().is_file()


def test_back_to_english(chinese: None) -> None:
    i18n.set_language("en")
    assert i18n._("hidden state") == "hidden state"


def draw_chinese_figure() -> None:
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="遗忘门 f_t")
    ax.set_title("细胞状态 C_t：按位乘法 ⊙")
    ax.set_xlabel("时间步 t")
    ax.set_ylabel("输出门 o_t")
    ax.legend()
    FigureCanvasAgg(fig).draw()  # Agg renders every glyph, as the inline backend does


def test_a_chinese_figure_draws_without_missing_glyphs(chinese: None) -> None:
    """Every warning is an error here: one "Glyph ... missing from font" fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw_chinese_figure()


def test_without_the_font_the_same_figure_warns() -> None:
    """The test above can fail: with DejaVu Sans alone, matplotlib warns of missing glyphs."""
    with mpl.rc_context({"font.sans-serif": ["DejaVu Sans"], "font.family": ["sans-serif"]}):
        with pytest.warns(UserWarning, match="missing from font"):
            draw_chinese_figure()


def language_in_fresh_interpreter(value: str) -> str:
    code = (
        "import sys, lstm_course.i18n as i; import lstm_course.plots; import matplotlib as m;"
        "print(i.language(), 'Noto Sans CJK SC' in m.rcParams['font.sans-serif'])"
    )
    env = {**os.environ, "LSTM_COURSE_LANG": value}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_environment_variable_sets_the_language_for_a_whole_server() -> None:
    assert language_in_fresh_interpreter("zh") == "zh True"
    assert language_in_fresh_interpreter("") == "en False"


def test_the_environment_variable_does_not_make_the_maths_import_matplotlib() -> None:
    code = "import sys, lstm_course.shapes; print('matplotlib' in sys.modules)"
    env = {**os.environ, "LSTM_COURSE_LANG": "zh"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "False", out.stderr


# --- the package's strings in Chinese --------------------------------------------------------


def test_a_widget_speaks_chinese_and_english_is_unchanged(chinese: None) -> None:
    from lstm_course.widgets.lstm_cell import forget_gate_playground

    playground = forget_gate_playground()
    mode = playground.controls["mode"]
    assert mode.description == "视图"
    assert dict(mode.options)["亲手设置 f_t"] == "f_t by hand"  # shown Chinese, valued English
    assert "<b>遗忘门：f_t ⊙ C_{t-1}</b>" in playground.view.children[0].value
    assert "不由输入计算" in playground.readout.value
    i18n.set_language("en")
    english = forget_gate_playground()
    assert english.controls["mode"].description == "view"
    assert dict(english.controls["mode"].options)["f_t by hand"] == "f_t by hand"
    assert "<b>The forget gate: f_t ⊙ C_{t-1}</b>" in english.view.children[0].value
    assert "nothing computed from the input" in english.readout.value


def test_a_shape_error_names_the_symbol_and_both_shapes_in_chinese(chinese: None) -> None:
    import numpy as np

    from lstm_course.lstm import LSTMParams

    good = LSTMParams.zeros(3, 3)
    with pytest.raises(ValueError) as error:
        LSTMParams(**{**vars(good), "W_f": np.zeros((3, 3))})
    message = str(error.value)
    assert "W_f 的形状是 (3, 3)；应为 (3, 6) = (隐藏单元数, 隐藏单元数 + 输入维数)" in message
    i18n.set_language("en")
    with pytest.raises(ValueError, match=r"W_f has shape \(3, 3\); expected \(3, 6\)"):
        LSTMParams(**{**vars(good), "W_f": np.zeros((3, 3))})


def po_messages():
    from babel.messages.pofile import read_po

    with (i18n.LOCALE_DIR / "zh" / "LC_MESSAGES" / "lstm_course.po").open("rb") as po:
        return [m for m in read_po(po) if m.id]


def fields(text: str) -> set[str]:
    from string import Formatter

    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def test_every_translation_keeps_the_placeholders() -> None:
    wrong = [m.id for m in po_messages() if m.string and fields(m.id) != fields(m.string)]
    assert not wrong, "msgstr with other {placeholders} than its msgid:\n" + "\n".join(wrong)


def test_every_chinese_string_renders_without_a_missing_glyph(chinese: None, caplog) -> None:
    """Each msgstr drawn as matplotlib draws it: as text, or, with $maths$, as the cell
    diagrams' outline (mathtext has no Chinese glyphs; the diagrams outline each piece).
    Warnings are errors, and matplotlib's logged "does not have a glyph" fails too."""
    import re

    from lstm_course.plots.cell_drawing import outline

    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    for message in po_messages():
        text = re.sub(r"\{[^}]*\}", "1", message.string).replace("<sub>", "").replace("</sub>", "")
        text = re.sub(r"<[^>]+>", "", text)
        if "$" in text:
            outline(text, 0.3, False)
        else:
            ax.text(0, 0, text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FigureCanvasAgg(fig).draw()
    glyphs = [r.getMessage() for r in caplog.records if "glyph" in r.getMessage()]
    assert not glyphs, glyphs
