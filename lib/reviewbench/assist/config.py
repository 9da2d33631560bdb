"""The ``assist:`` block of ``review.yml``: which OpenAI-compatible endpoint and model.

::

    assist:
      base_url: http://127.0.0.1:8080/v1   # any OpenAI-compatible chat endpoint
      model: llama3.1:8b                   # the model id the endpoint knows
      api_key_env: REVIEW_LLM_KEY          # optional: the NAME of the variable holding the key
      timeout: 60                          # optional: seconds per request
      max_retries: 4                       # optional: retries after a timeout, 429 or 5xx
      backoff: 1                           # optional: first wait in seconds, doubled each retry
      json_mode: true                      # optional: ask for a JSON object (response_format)

The key itself is never written in ``review.yml`` nor anywhere else: it is read from the
environment variable named by ``api_key_env`` when a request is made. A local server
(llama.cpp, Ollama, vLLM) usually needs none; leave ``api_key_env`` out then.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from ..errors import AssistError, Problem, ValidationError
from ..project import Located, Project, load_located
from ..screening.criteria import model_reviewer_name

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: key -> (type, what the value must be); base_url and model are required.
FIELDS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "base_url": (str, "the endpoint's URL, starting with http:// or https://"),
    "model": (str, "the model id the endpoint knows"),
    "api_key_env": (str, "the name of an environment variable (letters, digits, _)"),
    "timeout": ((int, float), "seconds per request, more than 0"),
    "max_retries": (int, "a whole number from 0 to 10"),
    "backoff": ((int, float), "seconds to wait before the first retry, 0 or more"),
    "json_mode": (bool, "true or false"),
}
REQUIRED = ("base_url", "model")
MAX_BACKOFF = 30.0


@dataclass(frozen=True)
class AssistSettings:
    """The endpoint and model ``assist`` uses, and how patiently it retries."""

    base_url: str
    model: str
    api_key_env: str = ""
    timeout: float = 60.0
    max_retries: int = 4
    backoff: float = 1.0
    json_mode: bool = True

    @property
    def reviewer(self) -> str:
        """The model's reviewer name, ``assist-<model>``: its log file and ``reviewer`` column."""
        return model_reviewer_name(self.model)

    def api_key(self) -> str:
        """The key from the environment variable ``api_key_env`` (a placeholder when none is
        named: the client library needs some key, local servers ignore it)."""
        if not self.api_key_env:
            return "no-key"
        key = os.environ.get(self.api_key_env, "").strip()
        if not key:
            raise AssistError(
                f"the environment variable {self.api_key_env} is not set; review.yml's assist: api_key_env "
                f"names it as holding the endpoint's API key (export {self.api_key_env}=... before running)"
            )
        return key


def _value_problem(key: str, value: Any) -> str | None:
    """Why ``value`` is not valid for ``key`` (the value is not repeated: it may be a key)."""
    kind, what = FIELDS[key]
    if isinstance(value, bool) and kind is not bool:
        return f"assist: {key} must be {what}"
    if not isinstance(value, kind):
        return f"assist: {key} must be {what}"
    if key == "base_url" and not re.match(r"^https?://\S+$", value.strip()):
        return f"assist: base_url must be {what}"
    if key in ("model",) and not value.strip():
        return f"assist: model must be {what}"
    if key == "api_key_env" and not _ENV_NAME.match(value):
        return "assist: api_key_env must be the name of an environment variable (letters, digits, _), never the key itself"
    if key == "timeout" and value <= 0:
        return f"assist: timeout must be {what}"
    if key == "max_retries" and not 0 <= value <= 10:
        return f"assist: max_retries must be {what}"
    if key == "backoff" and value < 0:
        return f"assist: backoff must be {what}"
    return None


def assist_problems(doc: Located) -> list[Problem]:
    """Problems in the ``assist:`` block of a loaded ``review.yml`` (none when it has no block)."""
    block = doc.data.get("assist") if isinstance(doc.data, dict) else None
    if block is None:
        return []
    if not isinstance(block, dict):
        return [doc.problem("'assist' must be a mapping with base_url and model (and optionally api_key_env)", "assist")]
    problems = [doc.problem(f"assist: missing '{key}' ({FIELDS[key][1]})", "assist") for key in REQUIRED if key not in block]
    for key, value in block.items():
        if key in ("api_key", "key", "token"):
            problems.append(doc.problem(f"assist: '{key}' must not be in review.yml; put the key in an environment variable and name it in api_key_env", "assist", key))
        elif key not in FIELDS:
            problems.append(doc.problem(f"assist: unknown key {key!r} (expected {', '.join(FIELDS)})", "assist", key))
        elif (message := _value_problem(key, value)) is not None:
            problems.append(doc.problem(message, "assist", key))
    return problems


def assist_settings(doc: Located) -> AssistSettings:
    """The ``assist:`` settings of a loaded ``review.yml``; :class:`AssistError` when there is
    no such block, :class:`ValidationError` naming each problem (and its line) when invalid."""
    block = doc.data.get("assist") if isinstance(doc.data, dict) else None
    if block is None:
        raise AssistError(
            f"{doc.path} has no 'assist:' block; add one with base_url and model "
            "(and api_key_env, the name of the environment variable holding the key, if the endpoint needs one)"
        )
    problems = assist_problems(doc)
    if problems:
        raise ValidationError(problems)
    values = {key: block[key] for key in FIELDS if key in block}
    values["base_url"], values["model"] = values["base_url"].strip(), values["model"].strip()
    values["backoff"] = min(float(values.get("backoff", 1.0)), MAX_BACKOFF)
    return AssistSettings(**values)


def load_assist_settings(project: Project) -> AssistSettings:
    """The ``assist:`` settings of the project's ``review.yml`` (see :func:`assist_settings`)."""
    doc, problems = load_located(project.review_file)
    if doc is None:
        raise ValidationError(problems)
    return assist_settings(doc)


def assist_configured(project: Project) -> bool:
    """Whether the project's ``review.yml`` has an ``assist:`` block."""
    review = project.review()
    return isinstance(review, dict) and review.get("assist") is not None
