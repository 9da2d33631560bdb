"""The finding form pre-selects only suggestions at or above the suggester's threshold and
shows the span that triggered each one."""

from __future__ import annotations

from reviewbench.coding import load_codebook
from reviewbench.coding.form import FindingForm
from reviewbench.coding.suggest import Suggester


def test_form_preselects_above_the_threshold_and_shows_spans(project):
    cb = load_codebook(project)
    suggester = Suggester(cb)
    suggester.preselect = 0.9  # above the prior confidence of a plain cue (0.85)
    form = FindingForm(project, "kim", suggester=suggester)
    form.finding.value = "Women working on the streets were offered STI testing."
    found = form.suggest()
    assert set(found["code"]) >= {"on_street", "secondary"}
    assert not found["preselected"].any() and form.fields["subgroup"].value == [], "shown, not pre-selected"
    assert "matched &#x27;on the streets&#x27;" in form.suggestions.value and "pre-selected (&ge; 0.90)" in form.suggestions.value
    suggester.preselect = 0.5
    form.fields["tier"].value = ["primary"]
    found = form.suggest()
    assert form.fields["subgroup"].value == ["on_street"]
    assert form.fields["tier"].value == ["primary"], "a coder's own entry is never overwritten"
    assert found.loc[found["code"] == "on_street", "preselected"].all()
