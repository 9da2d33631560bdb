"""Reference lists (pybtex styles) and author-year citation labels."""

from __future__ import annotations

import pandas as pd

from reviewbench.outputs.references import citation_labels, format_references, sort_references


def _records() -> pd.DataFrame:
    base = {"volume": "", "issue": "", "pages": "", "doi": "", "ref_type": "JOUR", "journal": ""}
    return pd.DataFrame([
        {**base, "record_id": "r3", "title": "Street work and GP access.", "authors": ["Jeal, Nikki", "Salisbury, Chris"],
         "year": 2004, "journal": "British Journal of General Practice", "volume": "54", "issue": "504",
         "pages": "515-519", "doi": "10.3399/bjgp.2004"},
        {**base, "record_id": "r1", "title": "Parlour work", "authors": ["Jeal, N.", "Salisbury, C."], "year": 2004},
        {**base, "record_id": "r2", "title": "Needs assessment", "authors": ["Yorkshire Sex Work Project"], "year": None},
        {**base, "record_id": "r4", "title": "Access", "authors": ["Potter, Lucy", "Horwood, J.", "Feder, G."], "year": 2022},
    ])


def test_citation_labels_disambiguate_in_reference_order():
    labels = citation_labels(_records())
    assert labels == {"r1": "Jeal and Salisbury 2004a", "r3": "Jeal and Salisbury 2004b",
                      "r4": "Potter et al. 2022", "r2": "Yorkshire Sex Work Project n.d."}


def test_reference_order_is_author_year_title():
    assert sort_references(_records())["record_id"].tolist() == ["r1", "r3", "r4", "r2"]


def test_author_year_style():
    lines = format_references(_records(), "author-year", "txt").splitlines()
    assert lines[1] == ("Jeal, N. and Salisbury, C. (2004). Street work and GP access. "
                        "British Journal of General Practice, 54(504), 515-519. https://doi.org/10.3399/bjgp.2004.")
    assert lines[3] == "Yorkshire Sex Work Project (n.d.). Needs assessment."


def test_numbered_style_in_every_format():
    txt = format_references(_records(), "numbered", "txt").splitlines()
    assert txt[0] == "[1] N. Jeal and C. Salisbury. Parlour work. 2004."
    assert txt[2].startswith("[3] L. Potter, J. Horwood and G. Feder. Access. 2022")
    assert format_references(_records(), "numbered", "md").startswith("1. N. Jeal and C. Salisbury.")
    html = format_references(_records(), "numbered", "html")
    assert '<ol class="references">' in html and '<li id="r1">' in html
    tex = format_references(_records(), "numbered", "tex")
    assert tex.startswith("\\begin{thebibliography}{4}\n\\bibitem{r1} N. Jeal")
    assert "\\emph{British Journal of General Practice}" in tex
