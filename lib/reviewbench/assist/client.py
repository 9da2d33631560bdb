"""One OpenAI-compatible chat endpoint, through the ``openai`` client library.

:class:`ChatClient` sends one conversation and returns the answer's text and token
counts. Timeouts, lost connections, 429 (rate limit) and 5xx answers are retried up to
``max_retries`` times, waiting ``backoff`` seconds and twice as long each time (a 429's
``Retry-After`` is honoured), never more than 30 seconds at once; then
:class:`EndpointUnavailable` says what happened. Any other refusal (a wrong key, an
unknown model) raises :class:`~reviewbench.errors.AssistError` at once.

The API key is read from the environment when the client is made and is never part of a
message: every text this module raises has it replaced by ``***``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

import openai

from ..errors import AssistError
from .config import MAX_BACKOFF, AssistSettings

#: Errors worth waiting for: the server is busy, slow or briefly away.
TRANSIENT = (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError)


class EndpointUnavailable(AssistError):
    """The endpoint kept failing with transient errors after every retry."""


@dataclass(frozen=True)
class Reply:
    """The text of one answer and what it cost."""

    content: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


class ChatClient:
    """Sends conversations to ``settings.model`` at ``settings.base_url``.

    ``requests`` counts the HTTP requests made (retries included), ``prompt_tokens`` and
    ``completion_tokens`` what the endpoint reported using. ``sleep`` is the waiting
    function (tests pass one that does not wait).
    """

    def __init__(self, settings: AssistSettings, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self._key = settings.api_key()
        self._sleep = sleep
        self._client = openai.OpenAI(
            base_url=settings.base_url, api_key=self._key, timeout=settings.timeout, max_retries=0
        )
        self.requests = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0

    @property
    def tokens(self) -> int:
        """Tokens used so far, prompts and answers together."""
        return self.prompt_tokens + self.completion_tokens

    def _redact(self, text: str) -> str:
        return text.replace(self._key, "***") if len(self._key) >= 4 else text

    def _options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"temperature": 0}
        if self.settings.json_mode:
            options["response_format"] = {"type": "json_object"}
        return options

    def _wait(self, attempt: int, exc: Exception) -> float:
        wait = self.settings.backoff * 2**attempt
        response = getattr(exc, "response", None)
        retry_after = response.headers.get("retry-after") if response is not None else None
        if retry_after:
            try:
                wait = max(wait, float(retry_after))
            except ValueError:
                pass
        return min(wait, MAX_BACKOFF)

    def complete(self, messages: list[dict[str, str]]) -> Reply:
        """The model's answer to ``messages`` (retrying transient failures, see the module)."""
        where = f"the model endpoint {self.settings.base_url} (model {self.settings.model})"
        failure = ""
        for attempt in range(self.settings.max_retries + 1):
            self.requests += 1
            try:
                response = self._client.chat.completions.create(
                    model=self.settings.model, messages=messages, **self._options()  # type: ignore[arg-type]
                )
            except TRANSIENT as exc:
                failure = _describe(exc)
                if attempt < self.settings.max_retries:
                    self._sleep(self._wait(attempt, exc))
                continue
            except openai.AuthenticationError:
                raise AssistError(
                    f"{where} refused the API key (401); check the key in the environment variable "
                    f"{self.settings.api_key_env or '(none named: set assist: api_key_env in review.yml)'}"
                ) from None
            except openai.APIStatusError as exc:
                raise AssistError(self._redact(f"{where} refused the request: {_describe(exc)}")) from None
            except openai.APIError as exc:
                raise AssistError(self._redact(f"{where} sent an answer that is not a chat completion: {_describe(exc)}")) from None
            usage = getattr(response, "usage", None)
            prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
            completion = int(getattr(usage, "completion_tokens", 0) or 0)
            self.prompt_tokens += prompt
            self.completion_tokens += completion
            choices = getattr(response, "choices", None) or []
            content = (choices[0].message.content if choices and choices[0].message else None) or ""
            return Reply(content, prompt, completion)
        tries = self.settings.max_retries + 1
        raise EndpointUnavailable(self._redact(f"{where} did not answer after {tries} attempt(s): {failure}"))


def _describe(exc: Exception) -> str:
    """A short account of an ``openai`` error: its status and the first line of its message."""
    status = getattr(exc, "status_code", None)
    if isinstance(exc, openai.APITimeoutError):
        return "the request timed out"
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc.__context__
        return f"the connection failed ({type(cause).__name__ if cause else 'no connection'})"
    message = str(getattr(exc, "message", "") or exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return f"{status} {message}" if status else message
