"""Retraining in the background, so the next record never waits for the model.

:class:`BackgroundTrainer` runs one function in a daemon thread each time it is asked,
merging the requests that arrive while it runs into one more round: the ranking is at
most one refit behind the latest decision. The thread ends after ``linger`` seconds
without a request and is started again by the next one.
"""

from __future__ import annotations

import threading
from typing import Callable


class BackgroundTrainer:
    """Run ``train()`` in a background thread after each :meth:`request`.

    ``lock`` is the owner's lock: the flags here and the state ``train`` reads and
    writes are guarded by the same one.
    """

    def __init__(self, train: Callable[[], None], lock: threading.RLock, *, name: str = "reviewbench-ranker", linger: float = 30.0) -> None:
        self._train = train
        self._lock = lock
        self._wake = threading.Condition(lock)
        self._dirty = False
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None
        self._name = name
        self._linger = linger

    def request(self) -> None:
        """Train again as soon as the thread is free (start it if it is not running)."""
        with self._lock:
            self._dirty = True
            self._idle.clear()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            self._wake.notify()

    def discard_pending(self) -> None:
        """Forget a request not yet started (e.g. after training failed for good)."""
        with self._lock:
            self._dirty = False

    def wait(self, timeout: float) -> bool:
        """Block until no training is running or asked for; False on timeout."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._dirty:
                    self._idle.set()
                    self._wake.wait(timeout=self._linger)
                    if not self._dirty:
                        if self._thread is threading.current_thread():
                            self._thread = None
                        self._idle.set()
                        return
                self._dirty = False
            self._train()
