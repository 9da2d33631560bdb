"""What the model is asked, in which fixed JSON shape it answers, and how answers are read.

A prompt is a list of chat messages built only from ``review.yml`` (or the codebook) and
the record (or finding): the same inputs always give the same messages, so
:func:`prompt_sha256` identifies a question exactly and a log row says which question it
answers. The model answers

- screening: ``{"decision": "include" | "exclude" | "maybe", "criterion": ID, "reason": ONE LINE}``,
  where ``ID`` is an inclusion criterion (``I1``, ``I2``, ...) or an exclusion reason code;
- coding: ``{"codes": {DIMENSION: [CODE, ...]}, "quote": WORDS OF THE FINDING}``.

An answer that is not such an object raises :class:`Unparsed` saying what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

from ..coding.codebook import Codebook
from ..screening.criteria import StageSettings
from ..screening.decisions import DECISIONS

SCREENING_SHAPE = '{"decision": "include" | "exclude" | "maybe", "criterion": "<id of the criterion it rests on>", "reason": "<one line>"}'
CODING_SHAPE = '{"codes": {"<dimension>": ["<code id>", ...]}, "quote": "<the words of the finding that support these codes, copied exactly>"}'
MAX_REASON = 300


class Unparsed(ValueError):
    """An answer that is not in the fixed JSON shape; ``str()`` says what is wrong."""


@dataclass(frozen=True)
class ScreeningCriteria:
    """What the model screens against: the question and the stage's criteria by id."""

    question: str
    stage_label: str
    include: dict[str, str]  # I1 -> criterion
    exclude: dict[str, str]  # exclusion reason code (or E1, ...) -> description


@dataclass(frozen=True)
class ScreeningAnswer:
    decision: str
    criterion: str
    reason: str


@dataclass(frozen=True)
class CodingAnswer:
    codes: dict[str, list[str]]  # dimension -> code ids, codebook order
    quote: str


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).split())


def screening_criteria(review: Mapping[str, Any], settings: StageSettings) -> ScreeningCriteria:
    """The criteria of ``settings.stage`` from a parsed ``review.yml``: the inclusion list of
    ``eligibility`` as ``I1, I2, ...``; the stage's exclusion reasons by code (else the
    exclusion list of ``eligibility`` as ``E1, E2, ...``)."""
    eligibility = review.get("eligibility") if isinstance(review.get("eligibility"), dict) else {}
    include = {f"I{i}": _text(c) for i, c in enumerate(eligibility.get("include") or [], 1)}
    exclude = {code: _text(label) for code, label in settings.exclusion_reasons.items()}
    if not exclude:
        exclude = {f"E{i}": _text(c) for i, c in enumerate(eligibility.get("exclude") or [], 1)}
    return ScreeningCriteria(_text(review.get("question")), settings.label, include, exclude)


def screening_messages(criteria: ScreeningCriteria, record: Mapping[str, Any]) -> list[dict[str, str]]:
    """The conversation asking for one record's decision (its title and abstract only)."""
    system = (
        "You screen records for a literature review. Judge the record only from its title and abstract, "
        "against the criteria given. Answer with one JSON object and nothing else, in exactly this shape: "
        f"{SCREENING_SHAPE}. Use \"maybe\" when the title and abstract do not say enough to decide."
    )
    lines = [f"Review question: {criteria.question}", f"Stage: {criteria.stage_label}", ""]
    if criteria.include:
        lines += ["Inclusion criteria (all must hold to include):", *(f"{k}: {v}" for k, v in criteria.include.items()), ""]
    if criteria.exclude:
        lines += ["Exclusion criteria (one is enough to exclude):", *(f"{k}: {v}" for k, v in criteria.exclude.items()), ""]
    lines += [f"Title: {_text(record.get('title')) or '(none)'}", f"Abstract: {_text(record.get('abstract')) or '(none)'}"]
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n".join(lines)}]


def coding_messages(codebook: Codebook, finding: str) -> list[dict[str, str]]:
    """The conversation asking for the codes of one finding, and the words that support them."""
    system = (
        "You code findings of studies for a literature review with the codebook given. Answer with one JSON "
        f"object and nothing else, in exactly this shape: {CODING_SHAPE}. Leave out a dimension the finding "
        "says nothing about; give one code at most where a dimension takes one."
    )
    lines = ["Codebook:"]
    for name, dim in codebook.dimensions.items():
        lines.append(f"Dimension {name} ({_text(dim.label)}; {'several codes allowed' if dim.multi else 'one code'}): {_text(dim.definition)}")
        lines += [f"  - {code_id}: {_text(code.label)}" + (f": {_text(code.definition)}" if _text(code.definition) else "") for code_id, code in dim.codes.items()]
    lines += ["", f"Finding: {_text(finding)}"]
    return [{"role": "system", "content": system}, {"role": "user", "content": "\n".join(lines)}]


def prompt_sha256(messages: list[dict[str, str]]) -> str:
    """SHA-256 of the messages (canonical JSON): the identity of one question."""
    text = json.dumps(messages, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _json_object(text: str) -> dict[str, Any]:
    """The JSON object an answer holds (a code fence around it is allowed)."""
    body = re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", text or "")
    if not body.strip():
        raise Unparsed("the answer is empty")
    try:
        value = json.loads(body)
    except json.JSONDecodeError as exc:
        raise Unparsed(f"not JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(value, dict):
        raise Unparsed(f"a JSON {type(value).__name__}, not an object")
    return value


def parse_screening_answer(text: str, criteria: ScreeningCriteria) -> ScreeningAnswer:
    """The decision in an answer; :class:`Unparsed` when it is not in :data:`SCREENING_SHAPE`,
    or an exclusion does not rest on an exclusion criterion (an inclusion on an inclusion one)."""
    value = _json_object(text)
    decision = _text(value.get("decision")).lower()
    if decision not in DECISIONS:
        raise Unparsed(f"decision {value.get('decision')!r} is not one of {', '.join(DECISIONS)}")
    criterion, reason = _text(value.get("criterion")), _text(value.get("reason"))
    allowed = {"exclude": criteria.exclude, "include": criteria.include}.get(decision, {**criteria.include, **criteria.exclude})
    if allowed and criterion not in allowed and not (decision == "maybe" and not criterion):
        raise Unparsed(f"criterion {criterion!r} is not one of {', '.join(allowed)}")
    if not reason:
        raise Unparsed("no reason given")
    return ScreeningAnswer(decision, criterion, reason[:MAX_REASON])


def parse_coding_answer(text: str, codebook: Codebook) -> CodingAnswer:
    """The codes and quote in an answer; :class:`Unparsed` when it is not in :data:`CODING_SHAPE`
    or names a dimension or code the codebook lacks."""
    value = _json_object(text)
    given = value.get("codes")
    if not isinstance(given, dict):
        raise Unparsed("'codes' is not an object of dimension -> list of codes")
    codes: dict[str, list[str]] = {}
    for name, found in given.items():
        if name not in codebook.dimensions:
            raise Unparsed(f"unknown dimension {name!r}")
        found = [found] if isinstance(found, str) else found
        if not isinstance(found, list) or not all(isinstance(c, str) for c in found):
            raise Unparsed(f"{name}: expected a list of code ids")
        unknown = codebook.invalid_codes(name, found)
        if unknown:
            raise Unparsed(f"{name}: unknown code(s) {', '.join(unknown)}")
        if not codebook.dimensions[name].multi and len(set(found)) > 1:
            raise Unparsed(f"{name}: one code allowed, found {len(set(found))}")
        if found:
            codes[name] = [c for c in codebook.codes(name) if c in found]
    return CodingAnswer(codes, _text(value.get("quote")))
