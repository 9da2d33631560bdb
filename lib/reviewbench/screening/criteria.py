"""What ``review.yml`` says about screening: reasons, reviewers, terms and stage settings.

The keys read here (all optional)::

    exclusion_reasons:            # code -> description, or a list of codes
      wrong_population: Population is not ...
    not_retrieved_reasons: [...]  # full text: why a report could not be obtained
    stages:
      title_abstract: {label: ..., reviewers_per_record: 2, calibration_records: 10}
      full_text: {label: ..., reason_required: true, exclusion_reasons: {...}}
    reviewers:                    # name -> {name, role}; role "arbiter" resolves conflicts
      alex: {role: screener}
    reviewer: alex                # default reviewer of this checkout (rarely committed)
    screening_terms:              # highlighted in the screening view
      include: [sex work, prostitut*]
      exclude: [protocol, editorial]

A stage's own ``exclusion_reasons`` replace the top-level ones for that stage.

A language model screens as the reviewer ``assist-<model>`` (see :mod:`reviewbench.assist`,
which also reads the ``assist:`` block); its log counts among the decisions only when
``reviewers:`` lists that name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import ParameterError, ProjectError
from ..project import MODEL_REVIEWER_PREFIX, SCREENING_STAGES, Project, listed_team, review_team

_REVIEWER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
RESERVED_NAMES = {"resolutions"}
#: Roles of ``review.yml`` that resolve conflicts instead of screening.
ARBITER_ROLES = frozenset({"arbiter", "resolver"})
#: Reviewer names starting with this are language models (:func:`model_reviewer_name`).
MODEL_PREFIX = MODEL_REVIEWER_PREFIX


@dataclass(frozen=True)
class StageSettings:
    """Screening settings of one stage, read from ``review.yml``."""

    stage: str
    label: str
    exclusion_reasons: dict[str, str] = field(default_factory=dict)  # code -> description
    not_retrieved_reasons: tuple[str, ...] = ()
    reason_required: bool = False
    reviewers_per_record: int = 1
    calibration_records: int = 0
    screeners: tuple[str, ...] = ()
    arbiters: tuple[str, ...] = ()
    include_terms: tuple[str, ...] = ()
    exclude_terms: tuple[str, ...] = ()


def check_stage(stage: str) -> str:
    """``stage`` if it is a screening stage, else a :class:`ParameterError`."""
    if stage not in SCREENING_STAGES:
        raise ParameterError("stage", stage, list(SCREENING_STAGES))
    return stage


def check_reviewer_name(name: str) -> str:
    """A reviewer name usable as a log file name (letters, digits, ``_ . -``; not ``resolutions``)."""
    name = (name or "").strip()
    if not _REVIEWER_NAME.match(name) or name.lower() in RESERVED_NAMES:
        raise ParameterError(
            "reviewer", name, ["a name of letters, digits, '_', '.' or '-' (not 'resolutions'), e.g. alex"]
        )
    return name


def model_reviewer_name(model: str) -> str:
    """The reviewer name (and log file stem) of a language model: ``assist-`` and the
    model's id with each run of characters other than letters, digits, ``_ . -`` as ``-``."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(model or "").strip()).strip("-.")
    return check_reviewer_name((MODEL_PREFIX + slug)[:64])


def is_model_reviewer(name: str) -> bool:
    """Whether the reviewer ``name`` is a language model (see :func:`model_reviewer_name`)."""
    return str(name).startswith(MODEL_PREFIX)


def _reasons(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v if v is not None else k) for k, v in value.items()}
    if isinstance(value, list):
        out: dict[str, str] = {}
        for item in value:
            if isinstance(item, dict):
                code = item.get("code") or item.get("id") or item.get("reason") or item.get("name")
                if code:
                    out[str(code)] = str(item.get("label") or item.get("description") or code)
            elif item is not None:
                out[str(item)] = str(item)
        return out
    return {}


def _terms(review: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    block = review.get("screening_terms") or review.get("highlight_terms") or {}
    include = block.get("include", []) if isinstance(block, dict) else []
    exclude = block.get("exclude", []) if isinstance(block, dict) else []
    clean = lambda xs: tuple(str(x).strip() for x in (xs or []) if str(x).strip())  # noqa: E731
    return clean(include), clean(exclude)


def stage_settings(review: dict[str, Any], stage: str) -> StageSettings:
    """The settings of ``stage`` from a parsed ``review.yml``."""
    check_stage(stage)
    stages = review.get("stages") or {}
    own = stages.get(stage) if isinstance(stages, dict) else None
    own = own if isinstance(own, dict) else {}
    reasons = _reasons(own.get("exclusion_reasons")) or _reasons(review.get("exclusion_reasons"))
    not_retrieved = _reasons(own.get("not_retrieved_reasons")) or _reasons(review.get("not_retrieved_reasons"))
    screeners, arbiters = [], []
    for name, role in review_team(review).items():
        (arbiters if role in ARBITER_ROLES else screeners).append(name)
    if own.get("reviewers"):
        screeners = list(listed_team(own.get("reviewers")))
    include, exclude = _terms(review)
    return StageSettings(
        stage=stage,
        label=str(own.get("label") or stage.replace("_", " ").capitalize()),
        exclusion_reasons=reasons,
        not_retrieved_reasons=tuple(not_retrieved),
        reason_required=bool(own.get("reason_required", stage == "full_text")),
        reviewers_per_record=int(own.get("reviewers_per_record") or 1),
        calibration_records=int(own.get("calibration_records") or 0),
        screeners=tuple(screeners),
        arbiters=tuple(arbiters),
        include_terms=include,
        exclude_terms=exclude,
    )


def load_stage_settings(project: Project, stage: str) -> StageSettings:
    """The settings of ``stage`` from the project's ``review.yml``."""
    return stage_settings(project.review(), stage)


def resolve_reviewer(project: Project | None = None, reviewer: str | None = None) -> str:
    """Who is screening: the ``reviewer`` argument, else the environment variable
    ``REVIEWBENCH_REVIEWER``, else ``reviewer:`` in ``review.yml``, else the only screener
    listed there. A name from the environment must be one of ``review.yml``'s reviewers
    when it lists any. Raises :class:`ProjectError` when none is set.
    """
    name = (reviewer or "").strip()
    review = project.review() if project is not None else {}
    team = list(review_team(review))
    if not name:
        name = os.environ.get("REVIEWBENCH_REVIEWER", "").strip()
        if name and team and name not in team:
            raise ProjectError(f"REVIEWBENCH_REVIEWER={name} is not one of the reviewers in review.yml ({', '.join(team)})")
    if not name and project is not None:
        name = str(review.get("reviewer") or "").strip()
        if not name:
            screeners = stage_settings(review, SCREENING_STAGES[0]).screeners
            if len(screeners) == 1:
                name = screeners[0]
    if not name:
        among = f" (one of review.yml's reviewers: {', '.join(team)})" if team else " (a reviewer listed in review.yml)"
        raise ProjectError(
            f"no reviewer set: start JupyterLab with the environment variable REVIEWBENCH_REVIEWER set to your id{among}, "
            "e.g. `REVIEWBENCH_REVIEWER=yourid jupyter lab`"
        )
    return check_reviewer_name(name)


def session_reviewer(project: Project) -> str:
    """Who works in this notebook session (see :func:`resolve_reviewer`), or ``""`` when no
    one is set: the notebooks then show read-only views, as under ``reviewbench run``."""
    try:
        return resolve_reviewer(project)
    except (ProjectError, ParameterError):
        return ""


def reviewer_role(project: Project, name: str) -> str:
    """The ``role`` of ``name`` among ``review.yml``'s reviewers (``screener`` when not given)."""
    return review_team(project.review()).get(name, "screener")


def reviewer_choices(project: Project) -> list[tuple[str, str]]:
    """``(label, id)`` for each of ``review.yml``'s reviewers, in its order, labelled with
    their role (``alex (screener)``): the options of a "who are you?" picker. Language
    models (``assist-<model>``) are not among them: nobody screens as a model."""
    return [(f"{name} ({role})", name) for name, role in review_team(project.review(), people_only=True).items()]
