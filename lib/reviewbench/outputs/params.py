"""Report parameters: what a papermill run may ask for, checked before anything runs.

The output notebooks and ``reviewbench run -p NAME VALUE`` share these names. Filters
are the dimensions the codebook declares in ``filters:`` and take its code ids
(``-p setting community``, or ``filters = {"setting": "community"}`` in a notebook); an
unknown name or value stops with a :class:`reviewbench.errors.ParameterError` that lists
the valid ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Mapping

from ..errors import ParameterError
from ..project import SCREENING_STAGES

#: Table formats a report can be written in.
TABLE_FORMATS = ("csv", "md", "html", "xlsx", "docx")
#: Every parameter a report takes besides the codebook's filters (``project_dir`` and
#: ``staging_dir`` are injected by ``run``; ``final``: stop on any open state).
PARAMETER_NAMES = ("filters", "year_from", "year_to", "stage", "formats", "output_dir", "final", "staging_dir")
ALL = "all"


@dataclass(frozen=True)
class ReportParams:
    """Validated report parameters.

    ``filter_codes``: (dimension, selected codes) of each filter set, in the codebook's
    order. ``final``: the review says it is complete, so open states are errors and no
    study is provisional. ``staging``: the folder (relative to the project) under which
    ``output_dir`` is written first, so that a run replaces ``outputs/`` only when every
    notebook succeeded (empty: written in place).
    """

    filter_codes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    stage: str = "full_text"
    formats: tuple[str, ...] = TABLE_FORMATS
    output_dir: str = field(default="outputs")
    final: bool = False
    staging: str = ""

    def filters(self) -> dict[str, tuple[str, ...]]:
        """The codebook filters that are set, by dimension name."""
        return dict(self.filter_codes)

    def selected(self, dimension: str) -> tuple[str, ...]:
        """The codes of ``dimension`` a filter selects (empty: every code)."""
        return self.filters().get(dimension, ())

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters()) or self.year_from is not None or self.year_to is not None

    def describe(self) -> str:
        """One line for report headings, e.g. ``setting: community; years: 2010-2020``."""
        parts = [f"{d}: {', '.join(v)}" for d, v in self.filters().items()]
        if self.year_from is not None or self.year_to is not None:
            parts.append(f"years: {self.year_from or '...'}-{self.year_to or '...'}")
        if self.stage != "full_text":
            parts.append(f"stage: {self.stage}")
        return "; ".join(parts) or "all included studies"


def _as_list(name: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        items = [v.strip() for v in re.split(r"[,;]", value)]
    elif isinstance(value, Iterable):
        items = [str(v).strip() for v in value]
    else:
        items = [str(value).strip()]
    return [v for v in items if v]


def _codes(name: str, value: Any, valid: list[str]) -> tuple[str, ...]:
    items = _as_list(name, value)
    if not items or items == [ALL]:
        return ()
    for item in items:
        if item not in valid:
            raise ParameterError(name, item, [ALL, *valid])
    return tuple(sorted(set(items), key=valid.index))


def _year(name: str, value: Any) -> int | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none", ALL)):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        raise ParameterError(name, value, ["a four-digit year", "None"]) from None
    if not 1000 <= year <= 2999:
        raise ParameterError(name, value, ["a four-digit year", "None"])
    return year


def output_folder(params: ReportParams) -> str:
    """The output folder, relative to the project: ``outputs`` or e.g. ``outputs/setting-community``."""
    parts = [f"{d}-{'+'.join(v)}" for d, v in params.filters().items()]
    if params.year_from is not None or params.year_to is not None:
        parts.append(f"years-{params.year_from or 'any'}-{params.year_to or 'any'}")
    if params.stage != "full_text":
        parts.append(f"stage-{params.stage}")
    if not parts:
        return "outputs"
    slug = re.sub(r"[^0-9A-Za-z_+.-]+", "-", "_".join(parts)).strip("-.")
    return f"outputs/{slug}"


def _filter_values(raw: Mapping[str, Any], codes: Mapping[str, list[str]]) -> dict[str, Any]:
    """Filter values by dimension: ``filters`` (a mapping) and filters named on their own."""
    given = raw.get("filters")
    if given in (None, "", {}):
        given = {}
    if not isinstance(given, Mapping):
        raise ParameterError("filters", given, ["a mapping of dimension to code(s), e.g. {'setting': 'community'}"])
    values = dict(given)
    values.update({name: value for name, value in raw.items() if name in codes})
    for name in values:
        if name not in codes:
            raise ParameterError("filters", name, list(codes) or ["none: the codebook declares no filters"])
    return values


def validate_params(raw: Mapping[str, Any], codes: Mapping[str, list[str]]) -> ReportParams:
    """Check raw parameter values and return :class:`ReportParams`.

    ``codes`` maps each filter the codebook declares to its valid code ids, in the
    codebook's order; a filter is set by name (``setting="community"``) or in ``filters``.
    ``output_dir`` empty or ``None`` means :func:`output_folder` chooses it; ``final``
    ``None`` means "not final" here (see :func:`reviewbench.outputs.report.setup`).
    """
    for name in raw:
        if name not in PARAMETER_NAMES and name not in codes:
            raise ParameterError("name", name, [*PARAMETER_NAMES, *codes])
    values: dict[str, Any] = {}
    given = _filter_values(raw, codes)
    chosen = ((dim, _codes(dim, given.get(dim), list(valid))) for dim, valid in codes.items())
    values["filter_codes"] = tuple((dim, selected) for dim, selected in chosen if selected)
    values["year_from"] = _year("year_from", raw.get("year_from"))
    values["year_to"] = _year("year_to", raw.get("year_to"))
    if values["year_from"] and values["year_to"] and values["year_from"] > values["year_to"]:
        raise ParameterError("year_to", values["year_to"], [f"a year from {values['year_from']} on"])
    stage = str(raw.get("stage") or "full_text")
    if stage not in SCREENING_STAGES:
        raise ParameterError("stage", stage, list(SCREENING_STAGES))
    values["stage"] = stage
    fmts = _as_list("formats", raw.get("formats")) or list(TABLE_FORMATS)
    if fmts == [ALL]:
        fmts = list(TABLE_FORMATS)
    for fmt in fmts:
        if fmt not in TABLE_FORMATS:
            raise ParameterError("formats", fmt, list(TABLE_FORMATS))
    values["formats"] = tuple(f for f in TABLE_FORMATS if f in fmts)
    final = raw.get("final")
    if final not in (None, True, False):
        raise ParameterError("final", final, ["True", "False", "None"])
    values["final"] = bool(final)
    staging = str(raw.get("staging_dir") or "").strip()
    if staging and (Path(staging).is_absolute() or ".." in Path(staging).parts):
        raise ParameterError("staging_dir", staging, ["a folder inside the project (set by reviewbench run)"])
    values["staging"] = staging
    params = ReportParams(**values)
    out = _output_dir(raw.get("output_dir"))
    return ReportParams(**values, output_dir=out or output_folder(params))


def _output_dir(value: Any) -> str:
    """``output_dir`` as ``outputs`` or a folder below it (``""`` when not given).

    Outputs are regenerated and overwritten, so no other folder may receive them: not
    ``notebooks/`` (the executed copies would replace the sources), nor ``evidence/``.
    """
    out = str(value).strip() if value else ""
    if not out:
        return ""
    parts = PurePosixPath(out.replace("\\", "/")).parts
    if not parts or parts[0] != "outputs" or ".." in parts:
        raise ParameterError("output_dir", out, ["outputs", "a folder inside outputs/, e.g. outputs/my-report"])
    return "/".join(parts)
