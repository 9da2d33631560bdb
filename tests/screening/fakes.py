"""Stand-ins for the screening tests."""

from __future__ import annotations

import numpy as np

from reviewbench.screening.engine import Step
from reviewbench.screening.engine.stopping import StopDecision


class FakeRanker:
    """Ranks records by a fixed preference; remembers what it was trained on."""

    def __init__(self, records, seed=0, **options):
        self.ids = list(records["record_id"])
        self.options = options
        self.fits: list[dict] = []

    def fit(self, labels):
        self.fits.append(dict(labels))
        self.labels = dict(labels)
        return self

    def rank(self):
        return [r for r in reversed(self.ids) if r not in self.labels]

    def stopping(self):
        return self.stop_decision().as_dict()

    def stop_decision(self):
        n = len(self.labels)
        return StopDecision("fake", 0.95, 0.95, stop=n >= 3, estimated_recall=min(1.0, n / 4),
                            recall_interval=(min(1.0, n / 5), min(1.0, n / 3)))

    def step(self, labels, sample_start=None):
        """The same contract as :meth:`reviewbench.screening.engine.Ranker.step`."""
        self.sample_start = sample_start
        self.fit(labels)
        return Step(self.rank(), np.zeros(len(self.ids)), self.stop_decision(), True)
