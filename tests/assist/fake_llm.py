"""A small OpenAI-compatible chat server for the assist tests: deterministic answers, injected faults.

Run as ``python fake_llm.py PLAN.json REQUESTS.jsonl``; it listens on 127.0.0.1 on a free
port and prints the port on its first line. It answers ``POST /v1/chat/completions``:

- a screening prompt: ``include`` (criterion ``I1``) when the title or abstract names sex
  work (``sex work``, ``prostitut``, ``selling sex``, ``sell sex``, ``transactional sex``),
  else ``exclude`` with the first exclusion criterion of the prompt;
- a coding prompt: every code whose id (``_`` read as a space) is in the finding, and the
  finding's first eight words as the quote.

``PLAN.json`` is read again at every request, so a test can change it while the server
runs: ``{"faults": {"N": "429" | "500" | "timeout" | "malformed"}, "die_after": N,
"malformed_for": ["title words"], "delay": seconds}``; N counts requests from 1. With
``die_after`` the process exits right after its N-th answer. Every request is appended to
``REQUESTS.jsonl`` (its number, the Authorization header, the fault it got).
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SEX_WORK = ("sex work", "prostitut", "selling sex", "sell sex", "transactional sex")
PLAN_PATH, LOG_PATH = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()
COUNT = [0]
ANSWERED = [0]


def plan() -> dict:
    try:
        with open(PLAN_PATH, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def screening_answer(prompt: str) -> dict:
    record = prompt[prompt.find("Title:"):].lower()
    if any(term in record for term in SEX_WORK):
        return {"decision": "include", "criterion": "I1", "reason": "The record is about people who sell sex."}
    block = prompt.split("Exclusion criteria", 1)[-1].splitlines()[1:]
    first = next((line.split(":", 1)[0] for line in block if ":" in line), "")
    return {"decision": "exclude", "criterion": first, "reason": "The record is not about people who sell sex."}


def coding_answer(prompt: str) -> dict:
    finding = prompt.rsplit("Finding:", 1)[-1].strip()
    codes: dict[str, list[str]] = {}
    dimension = ""
    for line in prompt.split("Finding:", 1)[0].splitlines():
        if m := re.match(r"Dimension (\w+) \(.*?; (several codes allowed|one code)\)", line):
            dimension, multi = m.group(1), m.group(2) != "one code"
        elif (m := re.match(r"  - (\w+):", line)) and m.group(1).replace("_", " ") in finding.lower():
            if multi or dimension not in codes:
                codes.setdefault(dimension, []).append(m.group(1))
    return {"codes": codes, "quote": " ".join(finding.split()[:8])}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        request = json.loads(self.rfile.read(length) or b"{}")
        current = plan()
        with LOCK:
            COUNT[0] += 1
            n = COUNT[0]
        messages = request.get("messages") or []
        prompt = "\n".join(str(m.get("content", "")) for m in messages)
        fault = (current.get("faults") or {}).get(str(n), "")
        if any(words.lower() in prompt.lower() for words in current.get("malformed_for") or []):
            fault = fault or "malformed"
        with LOCK, open(LOG_PATH, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"n": n, "path": self.path, "auth": self.headers.get("Authorization", ""), "fault": fault,
                                 "model": request.get("model"), "coding": "You code findings" in prompt}) + "\n")
        if self.path.rstrip("/") != "/v1/chat/completions":
            return self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
        if fault == "429":
            return self._send(429, {"error": {"message": "rate limited", "type": "rate_limit"}}, {"Retry-After": "0"})
        if fault == "500":
            return self._send(500, {"error": {"message": "server error", "type": "server_error"}})
        if fault == "timeout":
            time.sleep(float(current.get("timeout_sleep", 2.0)))
        time.sleep(float(current.get("delay", 0)))
        if fault == "malformed":
            content = "Sure! I think this record should be included."
        else:
            answer = coding_answer(prompt) if "You code findings" in prompt else screening_answer(prompt)
            content = json.dumps(answer)
        body = {
            "id": f"chatcmpl-{n}", "object": "chat.completion", "created": 0, "model": request.get("model", ""),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": len(prompt) // 4, "completion_tokens": len(content) // 4,
                      "total_tokens": len(prompt) // 4 + len(content) // 4},
        }
        try:
            self._send(200, body)
        except OSError:  # the client gave up (a timeout fault)
            return
        with LOCK:
            ANSWERED[0] += 1
            if current.get("die_after") and ANSWERED[0] >= int(current["die_after"]):
                os._exit(0)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
