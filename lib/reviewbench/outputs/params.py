"""Report parameters: what a papermill run may ask for, checked before anything runs.

The output notebooks and ``reviewbench run -p NAME VALUE`` share these names. Filters
take code ids from the project's codebook; an unknown name or value stops with a
:class:`reviewbench.errors.ParameterError` that lists the valid ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Iterable, Mapping

from ..errors import ParameterError
from ..project import SCREENING_STAGES

#: Table formats a report can be written in.
TABLE_FORMATS = ("csv", "md", "html", "xlsx", "docx")
#: Codebook dimensions that can filter a report, in the order they name output folders.
FILTER_DIMENSIONS = ("subgroup", "prevention_tier", "determinant_layer")
#: Every parameter a user may set with ``-p`` (``project_dir`` is injected by ``run``).
PARAMETER_NAMES = (*FILTER_DIMENSIONS, "year_from", "year_to", "stage", "formats", "output_dir")
ALL = "all"


@dataclass(frozen=True)
class ReportParams:
    """Validated report parameters. Empty filter tuples mean "no filter"."""

    subgroup: tuple[str, ...] = ()
    prevention_tier: tuple[str, ...] = ()
    determinant_layer: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    stage: str = "full_text"
    formats: tuple[str, ...] = TABLE_FORMATS
    output_dir: str = field(default="outputs")

    def filters(self) -> dict[str, tuple[str, ...]]:
        """The codebook filters that are set, by dimension name."""
        return {d: getattr(self, d) for d in FILTER_DIMENSIONS if getattr(self, d)}

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters()) or self.year_from is not None or self.year_to is not None

    def describe(self) -> str:
        """One line for report headings, e.g. ``subgroup: migrant; years: 2010-2020``."""
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
    """The output folder, relative to the project: ``outputs`` or e.g. ``outputs/subgroup-migrant``."""
    parts = [f"{d}-{'+'.join(v)}" for d, v in params.filters().items()]
    if params.year_from is not None or params.year_to is not None:
        parts.append(f"years-{params.year_from or 'any'}-{params.year_to or 'any'}")
    if params.stage != "full_text":
        parts.append(f"stage-{params.stage}")
    if not parts:
        return "outputs"
    slug = re.sub(r"[^0-9A-Za-z_+.-]+", "-", "_".join(parts)).strip("-.")
    return f"outputs/{slug}"


def validate_params(raw: Mapping[str, Any], codes: Mapping[str, list[str]]) -> ReportParams:
    """Check raw parameter values and return :class:`ReportParams`.

    ``codes`` maps each filter dimension to the valid code ids (from the codebook; a
    dimension missing from the codebook accepts no filter). ``output_dir`` empty or
    ``None`` means :func:`output_folder` chooses it.
    """
    for name in raw:
        if name not in PARAMETER_NAMES:
            raise ParameterError("name", name, list(PARAMETER_NAMES))
    values: dict[str, Any] = {}
    for dim in FILTER_DIMENSIONS:
        values[dim] = _codes(dim, raw.get(dim), list(codes.get(dim, [])))
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
