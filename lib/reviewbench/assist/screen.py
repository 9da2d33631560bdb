"""``assist screen``: the model's decision on each record of a stage, logged like a person's.

For each record (title and abstract) the model is asked, against the stage's criteria
from ``review.yml``, for a decision, the criterion it rests on and a one-line reason
(:mod:`.prompts`); the answer is appended to ``evidence/screening/<stage>/assist-<model>.csv``
(:mod:`.log`). The log is the model's own: its decisions count among the team's only when
``review.yml`` lists ``assist-<model>`` as a reviewer, and never alone
(:func:`reviewbench.screening.decisions.final_decisions`).
"""

from __future__ import annotations

import pandas as pd

from ..project import Project
from ..screening.criteria import load_stage_settings
from ..screening.decisions import log_path
from .ask import Asker, Question, Run, ask_all, questions_from
from .client import Reply
from .config import AssistSettings
from .log import UNPARSED, append_screening_row, read_screening_log, screening_row
from .prompts import ScreeningAnswer, parse_screening_answer, screening_criteria, screening_messages


def screening_questions(project: Project, stage: str, records: pd.DataFrame, settings: AssistSettings) -> list[Question]:
    """One question per record of ``records`` (columns ``record_id``, ``title``, ``abstract``),
    with what the model's log already holds for it."""
    criteria = screening_criteria(project.review(), load_stage_settings(project, stage))
    items = ((str(record["record_id"]), screening_messages(criteria, record)) for record in records.to_dict("records"))
    return questions_from(items, read_screening_log(project, stage, settings.reviewer), "record_id", settings.model)


def screen(
    project: Project,
    stage: str,
    records: pd.DataFrame,
    client: Asker,
    settings: AssistSettings,
    *,
    limit: int | None = None,
    progress: bool = True,
) -> Run:
    """Ask the model about every record not yet answered with this prompt and model (at most
    ``limit``); returns what the run did. See :func:`reviewbench.assist.ask.ask_all`."""
    stage_settings = load_stage_settings(project, stage)
    criteria = screening_criteria(project.review(), stage_settings)
    reviewer, model = settings.reviewer, settings.model

    def write(question: Question, reply: Reply, answer: ScreeningAnswer | None, why: str) -> None:
        if answer is None:
            row = screening_row(stage_settings, reviewer, model, question.id, question.sha, reply.content, note=UNPARSED + why)
        else:
            reason = answer.criterion if answer.decision == "exclude" else ""
            note = f"{answer.criterion}: {answer.reason}" if answer.criterion else answer.reason
            row = screening_row(stage_settings, reviewer, model, question.id, question.sha, reply.content, answer.decision, reason, note)
        append_screening_row(project, stage, row)

    return ask_all(
        client,
        screening_questions(project, stage, records, settings),
        parse=lambda text: parse_screening_answer(text, criteria),
        write=write,
        log=log_path(project, stage, reviewer),
        limit=limit,
        label=f"assist screen {stage}",
        progress=progress,
    )
