"""LaTeX markup in BibTeX fields turned into plain Unicode text (pylatexenc).

``{\\"o}`` becomes ``ö``, ``$\\mu$`` becomes ``μ``, case-protecting braces and font
commands go, ``\\&`` and ``\\%`` become ``&`` and ``%``. Text without a backslash, dollar
or tilde takes a fast path that only drops braces: most fields of most files.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

# Macros the default pylatexenc context drops or does not know, with their text.
EXTRA_MACROS: dict[str, str] = {
    "mbox": "%(1)s",
    "hbox": "%(1)s",
    "textup": "%(1)s",
    "textnormal": "%(1)s",
    "url": "%(1)s",
    "path": "%(1)s",
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2e",
    "BibTeX": "BibTeX",
    "AmS": "AMS",
    "ConTeXt": "ConTeXt",
    "XeTeX": "XeTeX",
    "METAFONT": "METAFONT",
    "MF": "METAFONT",
    "MP": "MetaPost",
    "textbackslash": "\\",
    "quad": " ",
    "qquad": " ",
}
# TeX input ligatures, longest first.
LIGATURES = (("---", "\u2014"), ("--", "\u2013"), ("``", "\u201c"), ("''", "\u201d"))
_NEEDS_PARSER = re.compile(r"[\\$~]")
_BARE_SPECIAL = re.compile(r"(?<!\\)([%&#])")
_SPACE = re.compile(r"\s+")
_BRACED = r"\{(?:[^{}]|\{[^{}]*\})*\}"  # a brace group, two levels deep
_MARKUP = re.compile(
    r"\$[^$]*\$"  # inline math
    r"|\{(?:[^{}]|\{[^{}]*\})*?[\\$](?:[^{}]|\{[^{}]*\})*\}"  # a brace group holding a command
    r"|\\[A-Za-z]+\*?(?:\[[^\]]*\])?(?:" + _BRACED + r")*"  # \command[opt]{arg}
    r"|\\[^A-Za-z\s](?:\s*(?:\{[^{}]*\}|[A-Za-z]))?"  # \'e, \"{o}, \&
    r"|~"
)


@lru_cache(maxsize=1)
def _converter() -> LatexNodes2Text:
    db = get_default_latex_context_db()
    db.add_context_category(
        "reviewbench",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=repl) for name, repl in EXTRA_MACROS.items()],
    )
    return LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=False)


def latex_to_text(value: str) -> str:
    """Plain text of a BibTeX field value, white space collapsed.

    Only the pieces that carry markup (``\\'e``, ``\\emph{...}``, ``$...$``, a braced
    group holding a command) go through pylatexenc, each once (cached): running it over
    a whole 2,000-character abstract for one ``\\&`` costs tens of milliseconds.
    """
    if not value:
        return ""
    if _NEEDS_PARSER.search(value):
        value = _MARKUP.sub(lambda m: _convert(m.group(0)), value)
    if "--" in value or "``" in value or "''" in value:
        for ligature, char in LIGATURES:
            value = value.replace(ligature, char)
    value = value.replace("{", "").replace("}", "")
    return _SPACE.sub(" ", value).strip()


@lru_cache(maxsize=50_000)
def _convert(markup: str) -> str:
    # A bare % or & is a literal in a .bib field but markup to LaTeX: protect it.
    try:
        return _converter().latex_to_text(_BARE_SPECIAL.sub(r"\\\1", markup))
    except Exception:  # pylatexenc gives up on some malformed markup: keep the text
        return markup.replace("\\", " ")
