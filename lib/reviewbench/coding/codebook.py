"""The codebook: dimensions, their codes, and the keyword rules that suggest them.

``evidence/codebook.yml`` is data, not code. Its shape::

    population:                 # what makes a passage "about sex work"
      label: ...
      terms: [sex work*, prostitut*, ...]
      guards: [master of social work, ...]
    dimensions:
      setting:
        label: Setting of care
        definition: ...
        multi: true             # several codes per finding allowed
        level: finding          # finding | study | both
        window: 10              # hits count only within 10 words of a population term (same sentence)
        codes:
          care_home:
            label: Care home
            definition: ...
            include: ...        # optional notes for coders
            exclude: ...
            examples: [...]
            keywords:
              any: [care home*, nursing home*, ...]   # phrases; * ends a word stem
              paired:                                 # cues that count only with a partner nearby
                - cues: [home]
                  with: [care, nursing]
                  within: 3                           # words apart, same clause
                  order: after                        # optional: the partner follows (or 'before')
              guards: [home care*, ...]               # a hit inside one of these is discarded
              not_near: [survey*, ...]                # a hit within two words of one of these is discarded
              sentence_guards: [...]                  # a hit in a sentence with one of these is discarded
              window: 10                              # optional override of the dimension's window
              context: [negation, comparison, methods, prefixes]  # override the dimension's checks
              alone: true                             # suggested only when no other code of the dimension is
              ages: {below: 18}                       # ages written out ("aged 13 to 16", "15-year-olds") inside
                                                      # this band are cues too (``from: 65`` for older people)
    filters: [...]              # what the reports show: see :mod:`.report_spec`
    tables: [...]
    gap_maps: [...]

A dimension's ``context`` names the checks of :mod:`reviewbench.coding.context` its
hits go through; the top-level ``context`` mapping adds the review's own words to
the built-in English ones (``other_groups``, ``people``, ``methods_nouns`` ...).

:func:`check_codebook` returns every schema problem with its line;
:func:`load_codebook` raises :class:`ValidationError` listing them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, ProjectError, ValidationError
from ..project import Located, Project, load_located
from .ages import AgeBand
from .context import CHECKS, ENGLISH
from .report_spec import REPORT_KEYS, ReportSpec, build_report_spec, report_spec_problems

CODE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
LEVELS = ("finding", "study", "both")
TOP_KEYS = {"version", "title", "description", "population", "dimensions", "context", *REPORT_KEYS}
DIMENSION_KEYS = {"label", "definition", "multi", "level", "window", "required", "codes", "notes", "context"}
CODE_KEYS = {"label", "definition", "include", "exclude", "examples", "keywords", "notes"}
KEYWORD_KEYS = {"any", "paired", "guards", "not_near", "sentence_guards", "window", "context", "alone", "ages"}
AGE_KEYS = {"below", "from"}
PAIRED_KEYS = {"cues", "with", "within", "order", "negated"}
PAIRED_ORDERS = ("any", "after", "before")
POPULATION_KEYS = {"label", "definition", "terms", "guards", "sentence_guards"}
# the context checks a dimension or code may name, and the word lists the top-level
# ``context`` mapping may extend: both owned by reviewbench.coding.context
CONTEXT_CHECKS = CHECKS
CONTEXT_LISTS = tuple(ENGLISH)


@dataclass(frozen=True)
class Pairing:
    """Cues that count only with a partner phrase at most ``within`` words away in the same clause."""

    cues: tuple[str, ...]
    partners: tuple[str, ...]
    within: int = 3
    order: str = "any"  # "after": the partner follows the cue; "before": it precedes it
    negated: bool = False  # the cue counts only where its clause negates it ("did not separate", "could not be broken down")


@dataclass(frozen=True)
class KeywordRule:
    """Phrases that suggest a code, and guard phrases that veto a hit.

    ``window`` is how many words a hit may be from a population term in the same
    sentence (``None``: no such requirement; ``"sentence"``: anywhere in the sentence).
    """

    any: tuple[str, ...] = ()
    guards: tuple[str, ...] = ()
    sentence_guards: tuple[str, ...] = ()
    window: int | str | None = None
    paired: tuple[Pairing, ...] = ()
    not_near: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    alone: bool = False
    ages: AgeBand | None = None  # ages written out in this band are cues too (:mod:`.ages`)

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every phrase the rule matches or guards with."""
        paired = tuple(p for pair in self.paired for p in (*pair.cues, *pair.partners))
        return (*self.any, *paired, *self.guards, *self.not_near, *self.sentence_guards)


@dataclass(frozen=True)
class Code:
    """One code of a dimension."""

    id: str
    label: str
    definition: str
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    keywords: KeywordRule = field(default_factory=KeywordRule)


@dataclass(frozen=True)
class Dimension:
    """A coding dimension: single-valued (``multi`` False) or multi-valued."""

    name: str
    label: str
    definition: str
    multi: bool
    level: str
    codes: dict[str, Code]
    window: int | str | None = None
    required: bool = False

    @property
    def applies_to_findings(self) -> bool:
        return self.level in ("finding", "both")

    @property
    def applies_to_studies(self) -> bool:
        return self.level in ("study", "both")


@dataclass(frozen=True)
class Codebook:
    """The whole codebook: a population filter, ordered dimensions, and what the reports show."""

    dimensions: dict[str, Dimension]
    population: KeywordRule
    population_label: str = "population"
    path: str = ""
    report: ReportSpec = field(default_factory=ReportSpec)
    context: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def codes(self, dimension: str) -> list[str]:
        """Code ids of one dimension, in codebook order."""
        return list(self.dimensions[dimension].codes)

    def invalid_codes(self, dimension: str, codes: list[str]) -> list[str]:
        """The codes in ``codes`` that the dimension does not define."""
        known = self.dimensions[dimension].codes
        return [c for c in codes if c not in known]


def parse_codes(value: object) -> list[str]:
    """Codes written in a log cell (``"a; b"``) as a list, blanks dropped, order kept."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, float) and value != value:  # NaN
        return []
    return [part.strip() for part in re.split(r"[;,]", str(value)) if part.strip()]


def join_codes(codes: list[str] | tuple[str, ...]) -> str:
    """The log spelling of a list of codes."""
    return "; ".join(codes)


# --------------------------------------------------------------------------- checks


def _is_str(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _list_items(doc: Located, value: object, keys: tuple, what: str, problems: list[Problem]) -> list[tuple[int, Any]]:
    """The numbered items of a list-valued key (none when absent); a problem when it is no list."""
    if value is None:
        return []
    if not isinstance(value, list):
        problems.append(doc.problem(f"{what}, found {type(value).__name__}", *keys))
        return []
    return list(enumerate(value))


def _check_phrases(doc: Located, value: object, keys: tuple, what: str, problems: list[Problem]) -> None:
    for i, item in _list_items(doc, value, keys, f"{what} must be a list of phrases", problems):
        if not _is_str(item) or not re.search(r"\w", item):
            problems.append(doc.problem(f"{what} item {i + 1} must be a phrase with letters or digits, found {item!r}", *keys, i))


def _check_window(doc: Located, value: object, keys: tuple, problems: list[Problem]) -> None:
    if value is None or value == "sentence":
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.append(doc.problem(f"window must be a whole number of words (0 or more), 'sentence' or empty, found {value!r}", *keys))


def _check_context_names(doc: Located, value: object, keys: tuple, problems: list[Problem]) -> None:
    if value is None:
        return
    if not isinstance(value, list) or any(v not in CONTEXT_CHECKS for v in value):
        problems.append(doc.problem(f"context must be a list of checks among {', '.join(CONTEXT_CHECKS)}, found {value!r}", *keys))


def _check_paired(doc: Located, value: object, keys: tuple, what: str, problems: list[Problem]) -> None:
    for i, item in _list_items(doc, value, keys, f"{what} must be a list of mappings with 'cues', 'with' and 'within'", problems):
        if not isinstance(item, dict) or not item.get("cues") or not item.get("with"):
            problems.append(doc.problem(f"{what} item {i + 1} needs 'cues' and 'with' (lists of phrases)", *keys, i))
            continue
        _check_unknown(doc, item, PAIRED_KEYS, (*keys, i), f"{what} item {i + 1}", problems)
        for key in ("cues", "with"):
            _check_phrases(doc, item.get(key), (*keys, i, key), f"{what} item {i + 1} {key}", problems)
        within = item.get("within", 3)
        if isinstance(within, bool) or not isinstance(within, int) or within < 0:
            problems.append(doc.problem(f"{what} item {i + 1}: within must be a whole number of words, found {within!r}", *keys, i, "within"))
        if item.get("order", "any") not in PAIRED_ORDERS:
            problems.append(doc.problem(f"{what} item {i + 1}: order must be one of {', '.join(PAIRED_ORDERS)}, found {item.get('order')!r}", *keys, i, "order"))
        if not isinstance(item.get("negated", False), bool):
            problems.append(doc.problem(f"{what} item {i + 1}: negated must be true or false, found {item.get('negated')!r}", *keys, i, "negated"))


def _check_unknown(doc: Located, value: dict, allowed: set[str], keys: tuple, where: str, problems: list[Problem]) -> None:
    for key in value:
        if key not in allowed:
            problems.append(doc.problem(f"unknown key {key!r} in {where} (allowed: {', '.join(sorted(allowed))})", *keys, key))


def check_codebook(doc: Located) -> list[Problem]:
    """Every schema problem of a parsed codebook, each with its line."""
    problems: list[Problem] = []
    data = doc.data
    if not isinstance(data, dict):
        return [doc.problem(f"the codebook must be a mapping with a 'dimensions' key, found {type(data).__name__}")]
    _check_unknown(doc, data, TOP_KEYS, (), "the codebook", problems)
    population = data.get("population")
    if population is not None:
        if not isinstance(population, dict):
            problems.append(doc.problem("'population' must be a mapping with 'terms' (and optional 'guards')", "population"))
        else:
            _check_unknown(doc, population, POPULATION_KEYS, ("population",), "population", problems)
            for key in ("terms", "guards", "sentence_guards"):
                _check_phrases(doc, population.get(key), ("population", key), f"population {key}", problems)
    context = data.get("context")
    if context is not None:
        if not isinstance(context, dict):
            problems.append(doc.problem("'context' must be a mapping of word lists (" + ", ".join(CONTEXT_LISTS) + ")", "context"))
        else:
            _check_unknown(doc, context, set(CONTEXT_LISTS), ("context",), "context", problems)
            for key in context:
                _check_phrases(doc, context.get(key), ("context", key), f"context {key}", problems)
    dims = data.get("dimensions")
    if not isinstance(dims, dict) or not dims:
        problems.append(doc.problem("'dimensions' must be a non-empty mapping of dimension name to its definition", "dimensions"))
        return problems
    for name, dim in dims.items():
        keys = ("dimensions", name)
        if not isinstance(name, str) or not CODE_ID.match(name):
            problems.append(doc.problem(f"dimension name {name!r} must be lower case letters, digits and '_'", *keys))
        if not isinstance(dim, dict):
            problems.append(doc.problem(f"dimension {name!r} must be a mapping with label, multi and codes", *keys))
            continue
        _check_unknown(doc, dim, DIMENSION_KEYS, keys, f"dimension {name!r}", problems)
        if not _is_str(dim.get("label")):
            problems.append(doc.problem(f"dimension {name!r} needs a 'label' (text)", *keys))
        if not isinstance(dim.get("multi"), bool):
            problems.append(doc.problem(f"dimension {name!r} needs 'multi: true' or 'multi: false' (several codes per finding or one), found {dim.get('multi')!r}", *keys, "multi"))
        if dim.get("level", "finding") not in LEVELS:
            problems.append(doc.problem(f"dimension {name!r}: level must be one of {', '.join(LEVELS)}, found {dim.get('level')!r}", *keys, "level"))
        if "required" in dim and not isinstance(dim["required"], bool):
            problems.append(doc.problem(f"dimension {name!r}: 'required' must be true or false", *keys, "required"))
        _check_window(doc, dim.get("window"), (*keys, "window"), problems)
        _check_context_names(doc, dim.get("context"), (*keys, "context"), problems)
        codes = dim.get("codes")
        if not isinstance(codes, dict) or not codes:
            problems.append(doc.problem(f"dimension {name!r} needs 'codes': a non-empty mapping of code id to its definition", *keys, "codes"))
            continue
        for code_id, code in codes.items():
            ckeys = (*keys, "codes", code_id)
            if not isinstance(code_id, str) or not CODE_ID.match(code_id):
                problems.append(doc.problem(f"code id {code_id!r} in dimension {name!r} must be lower case letters, digits and '_' (quote it if YAML reads it as true/false/a number)", *ckeys))
            if not isinstance(code, dict):
                problems.append(doc.problem(f"code {code_id!r} in dimension {name!r} must be a mapping with label and definition", *ckeys))
                continue
            _check_unknown(doc, code, CODE_KEYS, ckeys, f"code {name}.{code_id}", problems)
            for key in ("label", "definition"):
                if not _is_str(code.get(key)):
                    problems.append(doc.problem(f"code {name}.{code_id} needs a '{key}' (text)", *ckeys, key))
            for key in ("include", "exclude"):
                if key in code and not isinstance(code[key], str):
                    problems.append(doc.problem(f"code {name}.{code_id}: '{key}' must be text", *ckeys, key))
            _check_phrases(doc, code.get("examples"), (*ckeys, "examples"), f"code {name}.{code_id} examples", problems)
            kw = code.get("keywords")
            if kw is None:
                continue
            if not isinstance(kw, dict):
                problems.append(doc.problem(f"code {name}.{code_id}: 'keywords' must be a mapping with 'any' (and optional 'guards')", *ckeys, "keywords"))
                continue
            _check_unknown(doc, kw, KEYWORD_KEYS, (*ckeys, "keywords"), f"keywords of {name}.{code_id}", problems)
            for key in ("any", "guards", "not_near", "sentence_guards"):
                _check_phrases(doc, kw.get(key), (*ckeys, "keywords", key), f"keywords {key} of {name}.{code_id}", problems)
            _check_paired(doc, kw.get("paired"), (*ckeys, "keywords", "paired"), f"keywords paired of {name}.{code_id}", problems)
            _check_window(doc, kw.get("window"), (*ckeys, "keywords", "window"), problems)
            _check_context_names(doc, kw.get("context"), (*ckeys, "keywords", "context"), problems)
            if "alone" in kw and not isinstance(kw["alone"], bool):
                problems.append(doc.problem(f"keywords alone of {name}.{code_id} must be true or false", *ckeys, "keywords", "alone"))
            if "ages" in kw:
                _check_ages(doc, kw["ages"], (*ckeys, "keywords", "ages"), f"keywords ages of {name}.{code_id}", problems)
    problems += report_spec_problems(doc, dims)
    return problems


def _check_ages(doc: Located, value: Any, keys: tuple, where: str, problems: list[Problem]) -> None:
    """``ages`` is a mapping with ``below`` and/or ``from``, numbers of years, ``from`` < ``below``."""
    expected = "a mapping with 'below' and/or 'from' (ages in years), e.g. {below: 18}"
    if not isinstance(value, dict) or not value or set(value) - AGE_KEYS:
        problems.append(doc.problem(f"{where} must be {expected}", *keys))
        return
    bad = [k for k, v in value.items() if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0]
    if bad:
        problems.append(doc.problem(f"{where}: '{bad[0]}' must be a number of years, found {value[bad[0]]!r}", *keys, bad[0]))
    elif "below" in value and "from" in value and value["from"] >= value["below"]:
        problems.append(doc.problem(f"{where}: 'from' ({value['from']}) must be less than 'below' ({value['below']})", *keys))


def _age_band(value: Any) -> AgeBand | None:
    if not value:
        return None
    return AgeBand(below=float(value.get("below", float("inf"))), from_=float(value.get("from", 0)))


# --------------------------------------------------------------------------- building


def _rule(value: dict | None, window: Any, context: Any = None) -> KeywordRule:
    value = value or {}
    return KeywordRule(
        any=tuple(value.get("any") or ()),
        guards=tuple(value.get("guards") or ()),
        sentence_guards=tuple(value.get("sentence_guards") or ()),
        window=value.get("window", window),
        paired=tuple(Pairing(tuple(p["cues"]), tuple(p["with"]), int(p.get("within", 3)), str(p.get("order", "any")),
                             bool(p.get("negated", False))) for p in value.get("paired") or ()),
        not_near=tuple(value.get("not_near") or ()),
        context=tuple(value.get("context", context) or ()),
        alone=bool(value.get("alone", False)),
        ages=_age_band(value.get("ages")),
    )


def build_codebook(data: dict[str, Any], path: str = "") -> Codebook:
    """A :class:`Codebook` from already-checked codebook data."""
    dims: dict[str, Dimension] = {}
    for name, dim in data["dimensions"].items():
        window = dim.get("window")
        codes = {
            code_id: Code(
                id=code_id,
                label=str(code["label"]).strip(),
                definition=str(code["definition"]).strip(),
                include=str(code.get("include") or "").strip(),
                exclude=str(code.get("exclude") or "").strip(),
                examples=tuple(code.get("examples") or ()),
                keywords=_rule(code.get("keywords"), window, dim.get("context")),
            )
            for code_id, code in dim["codes"].items()
        }
        dims[name] = Dimension(
            name=name,
            label=str(dim["label"]).strip(),
            definition=str(dim.get("definition") or "").strip(),
            multi=bool(dim["multi"]),
            level=dim.get("level", "finding"),
            codes=codes,
            window=window,
            required=bool(dim.get("required", False)),
        )
    population = data.get("population") or {}
    return Codebook(
        dimensions=dims,
        population=KeywordRule(
            any=tuple(population.get("terms") or ()),
            guards=tuple(population.get("guards") or ()),
            sentence_guards=tuple(population.get("sentence_guards") or ()),
        ),
        population_label=str(population.get("label") or "population"),
        path=path,
        report=build_report_spec(data),
        context={key: tuple(words or ()) for key, words in (data.get("context") or {}).items()},
    )


def codebook_problems(path: str | Path) -> list[Problem]:
    """Every problem of the codebook file at ``path`` (empty when it is valid)."""
    doc, problems = load_located(path)
    if doc is None:
        return problems
    return problems + check_codebook(doc)


def load_codebook(project_or_path: Project | str | Path) -> Codebook:
    """The codebook of a project (or of a ``codebook.yml`` path), checked.

    Raises :class:`ValidationError` naming the file and line of every problem, and
    :class:`ProjectError` when the file does not exist.
    """
    path = Path(getattr(project_or_path, "codebook_file", project_or_path))
    if not path.is_file():
        raise ProjectError(f"{path}: file not found (expected the review's codebook, a YAML file with 'dimensions')")
    # Parsing and checking takes a quarter of a second, and every coding and output step
    # asks for the codebook: the same text at the same path is parsed once.
    key = (str(path), hashlib.sha1(path.read_bytes()).hexdigest())
    cached = _LOADED.get(key)
    if cached is not None:
        return cached
    doc, problems = load_located(path)
    if doc is not None:
        problems = problems + check_codebook(doc)
    if problems:
        raise ValidationError(problems)
    assert doc is not None
    codebook = build_codebook(doc.data, str(path))
    if len(_LOADED) >= 16:
        _LOADED.clear()
    _LOADED[key] = codebook
    return codebook


_LOADED: dict[tuple[str, str], Codebook] = {}
