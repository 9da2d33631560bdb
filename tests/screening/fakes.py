"""Stand-ins for the screening tests."""

from __future__ import annotations


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
        return {"criterion": "fake", "target_recall": 0.95, "confidence": 0.95,
                "stop": len(self.labels) >= 3, "estimated_recall": min(1.0, len(self.labels) / 4)}
