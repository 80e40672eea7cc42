"""The language the package speaks: English (the default) or Chinese (the Chinese edition).

    import lstm_course
    lstm_course.set_language("zh")      # the first code cell of every notebooks/zh/ notebook

or ``LSTM_COURSE_LANG=zh`` in the environment, for a whole server. Every string a student reads
from the package (widget labels and readouts, figure titles, axis labels and legends, the errors
of ``shapes``) goes through ``_()``: English in the code, looked up at display time in the gettext
catalogue ``locale/zh/LC_MESSAGES/lstm_course.mo`` (domain ``lstm_course``). Module-level
tables keep English; ``_()`` is applied where a message is built, and a template is translated
before it is filled: ``_("{name} has shape {shape}").format(name=..., shape=...)``.

In Chinese, matplotlib also gets a CJK font: Noto Sans CJK SC, shipped by the PyPI package
``mplfonts`` (OFL), registered once and put after DejaVu Sans in ``font.sans-serif``, and
``font.family`` becomes ["sans-serif", "Noto Sans CJK SC"]: matplotlib (>= 3.6) takes one font
per *family entry* and falls back glyph by glyph along that list, so Latin letters, digits and
symbols keep DejaVu Sans and each Chinese character comes from Noto; no "Glyph ... missing from
font" warning. (A sans-serif list alone is not enough: the generic family resolves to its first
installed font only.) Text drawn with an explicit family asks ``text_family(...)``.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "lstm_course"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
ENV_VARIABLE = "LSTM_COURSE_LANG"
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
CJK_FONT_NAME = "Noto Sans CJK SC"
LATIN_FONT_NAME = "DejaVu Sans"

_current = {"language": DEFAULT_LANGUAGE, "translation": gettext.NullTranslations()}


def language() -> str:
    """The language the package speaks now: "en" or "zh"."""
    return _current["language"]


def set_language(lang: str, *, font: bool = True) -> None:
    """Speak ``lang`` ("en" or "zh") from now on; for "zh", also give matplotlib a CJK font
    (unless ``font=False``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {LANGUAGES}")
    if lang == DEFAULT_LANGUAGE:
        translation = gettext.NullTranslations()
    else:
        translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
        if font:
            use_cjk_font()
    _current["language"] = lang
    _current["translation"] = translation


def _(message: str) -> str:
    """``message`` (English, as written in the code) in the current language."""
    return _current["translation"].gettext(message)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for the marker)
    """Mark ``message`` for extraction and return it unchanged: for names kept in English in a
    table (a menu's values) and translated with ``_()`` where they are shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return _current["translation"].ngettext(singular, plural, n)


def cjk_font_path() -> Path:
    """Noto Sans CJK SC as shipped by mplfonts (a runtime dependency of the course)."""
    import mplfonts

    return Path(mplfonts.__file__).resolve().parent / "fonts" / CJK_FONT_FILE


def use_cjk_font() -> None:
    """Register Noto Sans CJK SC with matplotlib and let sans-serif text fall back to it."""
    import matplotlib as mpl
    from matplotlib import font_manager

    names = {font.name for font in font_manager.fontManager.ttflist}
    if CJK_FONT_NAME not in names:
        font_manager.fontManager.addfont(str(cjk_font_path()))
    fallback = [LATIN_FONT_NAME, CJK_FONT_NAME]
    rest = [name for name in mpl.rcParams["font.sans-serif"] if name not in fallback]
    mpl.rcParams["font.sans-serif"] = fallback + rest
    mpl.rcParams["font.family"] = ["sans-serif", CJK_FONT_NAME]


def text_family(family: str) -> list[str]:
    """A font family list for text drawn with an explicit family (``family="monospace"``):
    that family, then the CJK font when the package speaks Chinese."""
    return [family, CJK_FONT_NAME] if language() == "zh" else [family]


def font_for_language() -> None:
    """Give matplotlib the CJK font if the package speaks Chinese (``lstm_course.plots`` calls
    this on import, so ``LSTM_COURSE_LANG=zh`` alone is enough for the package's figures)."""
    if language() == "zh":
        use_cjk_font()


def _language_from_environment() -> None:
    """``LSTM_COURSE_LANG``: the catalogue now, the font when plots are imported (the maths
    modules import this one and must not pull in matplotlib)."""
    lang = os.environ.get(ENV_VARIABLE, "").strip()
    if lang:
        set_language(lang, font=False)


_language_from_environment()
