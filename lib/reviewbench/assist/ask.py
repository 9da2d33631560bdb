"""Ask a model each question not yet settled in its log, writing every answer as it arrives.

One loop serves screening and coding. A question already answered (or malformed
:data:`~reviewbench.assist.log.MAX_ATTEMPTS` times) with the same prompt and model is not
asked again, so a second run makes no request. Each answer is appended to the log before
the next question is sent: when the endpoint stops answering, every answer received is
already on disk and :class:`~reviewbench.errors.AssistError` says so in one message.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Protocol

import pandas as pd
from tqdm import tqdm

from ..errors import AssistError
from .client import EndpointUnavailable, Reply
from .log import MAX_ATTEMPTS, NOT_ASKED, Asked, asked
from .prompts import Unparsed, prompt_sha256


@dataclass(frozen=True)
class Question:
    """One question: the id it is about, its messages and what the log already holds for it."""

    id: str
    messages: list[dict[str, str]]
    before: Asked = NOT_ASKED

    @property
    def sha(self) -> str:
        return prompt_sha256(self.messages)


@dataclass
class Run:
    """What one run did: questions in all, already settled, asked, answered, malformed answers
    (each one logged), questions left without an answer, requests and tokens."""

    log: Path
    questions: int = 0
    settled: int = 0
    asked: int = 0
    answered: int = 0
    unparsed: int = 0
    failed: list[str] = field(default_factory=list)
    requests: int = 0
    tokens: int = 0

    def summary(self) -> str:
        left = f"; {len(self.failed)} left without a readable answer after {MAX_ATTEMPTS} tries" if self.failed else ""
        return (
            f"{self.questions} question(s): {self.settled} already answered in the log, {self.asked} asked, "
            f"{self.answered} answered, {self.unparsed} malformed answer(s) logged as unparsed{left}; "
            f"{self.requests} request(s), {self.tokens} token(s); log: {self.log}"
        )


class Asker(Protocol):
    """What :func:`ask_all` needs of a client (:class:`~reviewbench.assist.client.ChatClient`)."""

    requests: int

    @property
    def tokens(self) -> int: ...

    def complete(self, messages: list[dict[str, str]]) -> Reply: ...


def questions_from(items: Iterable[tuple[str, list[dict[str, str]]]], log: pd.DataFrame, id_column: str, model: str) -> list[Question]:
    """One :class:`Question` per ``(id, messages)``, with what the model's ``log`` holds for it."""
    before = asked(log, id_column)
    return [Question(qid, messages, before.get((qid, model, prompt_sha256(messages)), NOT_ASKED)) for qid, messages in items]


def ask_all(
    client: Asker,
    questions: Iterable[Question],
    *,
    parse: Callable[[str], Any],
    write: Callable[[Question, Reply, Any, str], None],
    log: Path,
    limit: int | None = None,
    label: str = "assist",
    progress: bool = True,
) -> Run:
    """Ask every unsettled question (at most ``limit`` of them), logging each answer at once.

    ``parse`` reads an answer or raises :class:`Unparsed`; ``write(question, reply, parsed,
    why)`` appends its row (``parsed`` None and ``why`` the problem for an unparsed answer).
    Raises :class:`AssistError` when the endpoint stops answering, after the answers
    received have been written.
    """
    questions = list(questions)
    run = Run(log=log, questions=len(questions))
    todo = [q for q in questions if not q.before.settled]
    run.settled = len(questions) - len(todo)
    if limit is not None:
        todo = todo[: max(limit, 0)]
    start_requests, start_tokens = client.requests, client.tokens
    bar = tqdm(total=len(todo), desc=label, unit="question", file=sys.stderr, disable=not progress or not todo, dynamic_ncols=True)
    try:
        for question in todo:
            run.asked += 1
            attempts = question.before.attempts
            while attempts < MAX_ATTEMPTS:
                try:
                    reply = client.complete(question.messages)
                except EndpointUnavailable as exc:
                    raise AssistError(
                        f"{exc}. Stopped at question {run.asked} of {len(todo)}; every answer received "
                        f"({run.answered} in this run) is in {log}. Run the command again to ask only what is left."
                    ) from None
                finally:
                    run.requests, run.tokens = client.requests - start_requests, client.tokens - start_tokens
                attempts += 1
                try:
                    parsed = parse(reply.content)
                except Unparsed as why:
                    write(question, reply, None, str(why))
                    run.unparsed += 1
                    continue
                write(question, reply, parsed, "")
                run.answered += 1
                break
            else:
                run.failed.append(question.id)
            bar.update(1)
            bar.set_postfix_str(f"{run.tokens} tokens", refresh=False)
    finally:
        bar.close()
    return run
