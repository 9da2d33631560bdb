"""Code suggestions from the model: codes and a supporting quote for a finding.

:func:`code` asks the model about findings (``id, text``) not yet answered with the same
prompt and model, logging each answer in ``evidence/findings/assist/assist-<model>.csv``.
:class:`ModelSuggester` gives them in the shape of the keyword and classifier suggestions
(:data:`reviewbench.coding.suggest.SUGGESTION_COLUMNS`: ``id, dimension, code,
confidence, rule``), the quote in ``rule``. Its confidence in a dimension is the model's
precision there on the findings the team has coded (:func:`.evaluate.evaluate_coding`),
smoothed towards 0.5 (as if two earlier suggestions were one right, one wrong): a model
not yet measured is never shown as sure.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from ..coding.codebook import Codebook
from ..coding.suggest import SUGGESTION_COLUMNS
from ..project import Project
from .ask import Asker, Question, Run, ask_all, questions_from
from .client import Reply
from .config import AssistSettings
from .evaluate import evaluate_coding
from .log import UNPARSED, append_coding_row, codes_from_cell, coding_row, is_unparsed, read_coding_log
from .prompts import CodingAnswer, coding_messages, parse_coding_answer, prompt_sha256


def coding_questions(project: Project, codebook: Codebook, texts: pd.DataFrame, settings: AssistSettings) -> list[Question]:
    """One question per row of ``texts`` (columns ``id``, ``text``), with what the log holds."""
    items = ((fid, coding_messages(codebook, text)) for fid, text in zip(texts["id"].astype(str), texts["text"].fillna("").astype(str)))
    return questions_from(items, read_coding_log(project, settings.reviewer), "finding_id", settings.model)


def code(
    project: Project,
    codebook: Codebook,
    texts: pd.DataFrame,
    client: Asker,
    settings: AssistSettings,
    *,
    limit: int | None = None,
    progress: bool = True,
) -> Run:
    """Ask the model for the codes of every text not yet answered (at most ``limit``)."""
    reviewer, model = settings.reviewer, settings.model

    def write(question: Question, reply: Reply, answer: CodingAnswer | None, why: str) -> None:
        found = {"note": UNPARSED + why} if answer is None else {"codes": answer.codes, "quote": answer.quote}
        append_coding_row(project, coding_row(codebook, reviewer, model, question.id, question.sha, reply.content, **found))

    return ask_all(
        client,
        coding_questions(project, codebook, texts, settings),
        parse=lambda text: parse_coding_answer(text, codebook),
        write=write,
        log=project.assist_findings_file(reviewer),
        limit=limit,
        label="assist code",
        progress=progress,
    )


def dimension_confidence(project: Project, codebook: Codebook, settings: AssistSettings) -> dict[str, float]:
    """Dimension -> the model's smoothed precision there on the team's coded findings."""
    table, _totals = evaluate_coding(project, codebook, settings)
    return {row.dimension: (row.tp + 1) / (row.tp + row.fp + 2) for row in table.itertuples()}


class ModelSuggester:
    """The model's suggestions for ``texts`` (``id, text``), like a :class:`~reviewbench.coding.suggest.Suggester`'s.

    ``client`` is made on first use by ``make_client`` (so a form can be drawn before the
    endpoint is reached); each text is asked about once per prompt and model.
    """

    def __init__(self, project: Project, codebook: Codebook, settings: AssistSettings, make_client: Callable[[], Asker]) -> None:
        self.project = project
        self.codebook = codebook
        self.settings = settings
        self._make_client = make_client
        self._client: Asker | None = None
        self.confidence = dimension_confidence(project, codebook, settings)

    @property
    def client(self) -> Asker:
        if self._client is None:
            self._client = self._make_client()
        return self._client

    def suggest(self, texts: pd.DataFrame, *, assume_population: bool = False) -> pd.DataFrame:
        """One row per code the model proposes for each text; ``rule`` names the model and its quote.
        (``assume_population`` is accepted for the keyword suggester's signature; the model
        reads the whole text.)"""
        code(self.project, self.codebook, texts, self.client, self.settings, progress=False)
        log = read_coding_log(self.project, self.settings.reviewer)
        answers = {
            (row["finding_id"], row["prompt_sha256"]): row
            for row in log[log["model"] == self.settings.model].to_dict("records") if not is_unparsed(row)
        }
        order = {(d, c): (di, ci) for di, (d, dim) in enumerate(self.codebook.dimensions.items()) for ci, c in enumerate(dim.codes)}
        rows = []
        for fid, text in zip(texts["id"].astype(str), texts["text"].fillna("").astype(str)):
            answer = answers.get((fid, prompt_sha256(coding_messages(self.codebook, text))))
            if answer is None:
                continue
            quote = str(answer["quote"]).replace('"', "'")
            found = [(d, c) for d, codes in codes_from_cell(answer["codes"]).items() for c in codes if (d, c) in order]
            for d, c in sorted(found, key=order.__getitem__):
                rows.append({"id": fid, "dimension": d, "code": c, "confidence": round(self.confidence.get(d, 0.5), 3),
                             "rule": f'model {self.settings.model}: "{quote}"'})
        return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)
