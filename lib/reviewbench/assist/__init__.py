"""A language model as an extra reviewer, measured against the team before it is trusted.

Any OpenAI-compatible chat endpoint named in ``review.yml`` (``assist: {base_url, model,
api_key_env}``, :mod:`.config`) is asked, through the ``openai`` client library
(:mod:`.client`), questions built from the review's own criteria or codebook
(:mod:`.prompts`). Every answer is appended to a log like a person's (:mod:`.log`), by one
loop that asks only what the log does not already answer (:mod:`.ask`):

- :mod:`.screen`: a decision per record, in ``evidence/screening/<stage>/assist-<model>.csv``;
  it counts among the team's decisions only when ``review.yml`` lists ``assist-<model>``
  as a reviewer, and never excludes alone;
- :mod:`.code`: codes and a supporting quote per finding, shown in the coding form beside
  the keyword and classifier suggestions;
- :mod:`.evaluate`: sensitivity, specificity and kappa, with 95% intervals, against the
  team's consensus and coded findings, from the logs alone.

The modules that talk to the endpoint import ``openai``; nothing else here does, so
``reviewbench validate`` and the coding notebook stay quick.
"""

from __future__ import annotations

from typing import Any

from ..coding.codebook import Codebook
from ..project import Project
from .config import AssistSettings, assist_configured, load_assist_settings


def model_suggester(project: Project, codebook: Codebook) -> Any:
    """The model's code suggester for the coding form when ``review.yml`` has an ``assist:``
    block, else ``None``. The endpoint is first reached when a suggestion is asked for."""
    if not assist_configured(project):
        return None
    from .client import ChatClient
    from .code import ModelSuggester

    settings = load_assist_settings(project)
    return ModelSuggester(project, codebook, settings, lambda: ChatClient(settings))


__all__ = ["AssistSettings", "assist_configured", "load_assist_settings", "model_suggester"]
