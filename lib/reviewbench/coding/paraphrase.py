"""Minimal pairs: labelled sentences rewritten so that only the context of a cue changes.

The span model (:mod:`.spans`) learns from candidates in labelled texts whether a context
makes a cue a real mention. A review's coded findings hold few of the contexts that undo
a cue (in them the rules' hits are nearly always right), so this module rewrites each real
mention into sentences where the same cue, with the rest of the sentence kept, is not a
mention: its person noun swapped for a thing ("<cue> women" -> "<cue> data"), the group
moved to a reference population outside the study, a one-word cue said of a thing ("the
outcome was <cue>"). The original is kept beside them, so each pair differs in the context
alone and the model learns the phenomenon, not the sentence. Nothing here names a
dimension or a code; the nouns are general English.
"""

from __future__ import annotations

import random

import pandas as pd

# Head nouns that are not people: a modifier of one of these does not describe people
# (environment, objects, data and analysis, biology, technology, money).
THINGS = ("air", "lighting", "heating", "temperature", "smoke", "pollution", "dust", "routes", "food", "names",
          "signs", "data", "records", "files", "analysis", "variable", "outcome", "model", "ratio", "patterns",
          "cells", "proteins", "devices", "software", "birds", "plants", "prices", "weather", "vehicles",
          "buildings", "furniture", "equipment", "samples", "scores", "codes", "maps", "fees")


def minimal_pairs(spans: list[tuple[str, str, int, int, int, int]], *, seed: int = 0) -> pd.DataFrame:
    """Sentences that differ from a labelled one only where a context undoes its cue.

    ``spans`` holds ``(text, code, start, end, head_start, head_end)`` for cues that are real
    mentions in their labelled text, ``head_*`` the character span of the person noun after
    the cue (``-1`` when there is none). Each gives, labelled 0:

    * ``thing``: the person noun swapped for a thing ("<cue> women reported" -> "<cue> data
      reported");
    * ``reference``: the cue and its noun on a reference group outside the study;
    * ``said_of_thing``: a one-word cue said of a thing.

    and the original span again, labelled 1 (``named``), so that each pair differs in the
    context alone.
    """
    rng = random.Random(seed)
    rows = []
    for text, code, start, end, h0, h1 in spans:
        cue = text[start:end]
        rows.append({"text": text, "code": code, "start": start, "end": end, "label": 1, "frame": "named"})
        if h0 >= 0:
            thing = rng.choice(THINGS)
            swapped = text[:h0] + thing + text[h1:]
            rows.append({"text": swapped, "code": code, "start": start, "end": end, "label": 0, "frame": "thing"})
            group = cue + " " + text[h0:h1]
            lead = "Rates in the study were well below published estimates for "
            rows.append({"text": lead + group + " in the general population.", "code": code, "start": len(lead),
                         "end": len(lead) + len(cue), "label": 0, "frame": "reference"})
        if " " not in cue:
            lead = f"Because the {rng.choice(THINGS)} was "
            rows.append({"text": lead + cue.lower() + ", a different model was fitted.", "code": code, "start": len(lead),
                         "end": len(lead) + len(cue), "label": 0, "frame": "said_of_thing"})
    return pd.DataFrame(rows, columns=["text", "code", "start", "end", "label", "frame"])
