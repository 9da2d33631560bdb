"""Escaping and formula neutralising: the building blocks of safe-to-share outputs."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from reviewbench.outputs.safe import (
    FORMULA_STARTS,
    escape_html,
    escape_latex,
    escape_markdown,
    neutralise_formula,
)

HOSTILE = ["<script>alert(1)</script>", '=HYPERLINK("http://evil.invalid","x")', r"\input{/etc/passwd}",
           "+1-2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "a|b", "# heading", "$x$", "50% & _", "~^"]


def test_html_escapes_markup():
    assert escape_html("<script>alert('x')</script>") == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    assert escape_html(None) == ""
    assert escape_html(["a<b", "c"]) == "a&lt;b; c"


def test_markdown_shows_text_literally():
    out = escape_markdown("<script>x</script> *bold* [link](http://e) a|b `code` $m$")
    assert "<" not in out and ">" not in out
    assert r"\*bold\*" in out and r"\[link\]" in out and r"a\|b" in out and r"\`code\`" in out and r"\$m\$" in out
    assert escape_markdown("# title").startswith("\\#")
    assert escape_markdown("1. item").startswith("1\\.")
    assert escape_markdown("line\nbreak") == "line break"
    # "(" makes a link only after "]", which is escaped: DOIs with parentheses stay readable.
    assert escape_markdown("doi 10.1016/s0140-6736(14)60801-1 (2014)!") == "doi 10.1016/s0140-6736(14)60801-1 (2014)!"
    assert escape_markdown("![img](x)") == r"!\[img\](x)"


def test_latex_escapes_every_special():
    assert escape_latex(r"\input{/etc/passwd}") == r"\textbackslash{}input\{/etc/passwd\}"
    assert escape_latex("50% & $x$ #1 _a ~ ^") == r"50\% \& \$x\$ \#1 \_a \textasciitilde{} \textasciicircum{}"


def test_formula_starts_are_neutralised():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise_formula(text).startswith("'"), text
    assert neutralise_formula("plain") == "plain"
    assert neutralise_formula(-5) == -5  # numbers stay numbers
    assert neutralise_formula(None) is None


@given(st.text())
def test_html_output_has_no_raw_markup(text):
    out = escape_html(text)
    assert "<" not in out and ">" not in out and '"' not in out
    assert html.unescape(out) == re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]", "", text)


@given(st.text())
def test_latex_output_has_no_unescaped_special(text):
    out = escape_latex(text)
    # Remove the escapes we emit; nothing special may be left.
    stripped = re.sub(r"\\(textbackslash|textasciicircum|textasciitilde|textless|textgreater|textbar)\{\}", "", out)
    stripped = re.sub(r"\\[{}$&#_%]", "", stripped)
    assert not set(stripped) & set("\\{}$&#^_~%<>|")


@given(st.text())
def test_markdown_output_has_no_raw_html_or_unescaped_pipe(text):
    out = escape_markdown(text)
    assert "<" not in out and ">" not in out and "\n" not in out
    assert re.search(r"(?<!\\)\|", out) is None


@given(st.text())
def test_neutralised_text_never_starts_a_formula(text):
    out = neutralise_formula(text)
    assert not out.startswith(FORMULA_STARTS)
