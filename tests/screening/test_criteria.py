"""review.yml's reviewers read one way everywhere: a mapping or a list, roles included."""

from __future__ import annotations

import pytest

from reviewbench.project import review_team
from reviewbench.screening.criteria import stage_settings

AS_MAPPING = {"reviewers": {"alex": {"name": "A", "role": "screener"}, "sam": None, "jo": {"role": "arbiter"}}}
AS_LIST = {"reviewers": ["alex", {"id": "sam"}, {"id": "jo", "role": "arbiter"}]}
AS_RESOLVER = {"reviewers": [{"id": "alex"}, {"id": "sam"}, {"name": "jo", "role": "resolver"}]}


@pytest.mark.parametrize("review", [AS_MAPPING, AS_LIST, AS_RESOLVER], ids=["mapping", "list", "resolver"])
def test_an_arbiter_is_read_from_either_form_and_screens_nothing(review):
    settings = stage_settings(review, "title_abstract")
    assert settings.screeners == ("alex", "sam")
    assert settings.arbiters == ("jo",)
    assert list(review_team(review)) == ["alex", "sam", "jo"]


def test_a_stages_own_reviewers_replace_the_screeners_only():
    review = dict(AS_LIST, stages={"full_text": {"reviewers": ["sam"]}})
    assert stage_settings(review, "full_text").screeners == ("sam",)
    assert stage_settings(review, "full_text").arbiters == ("jo",)
    assert stage_settings(review, "title_abstract").screeners == ("alex", "sam")


def test_models_are_left_out_only_when_people_are_asked_for():
    review = {"reviewers": {"alex": {}, "assist-gpt-4o": {"role": "screener"}}}
    assert list(review_team(review)) == ["alex", "assist-gpt-4o"]
    assert list(review_team(review, people_only=True)) == ["alex"]


def test_no_reviewers_is_an_empty_team():
    assert review_team({}) == {}
    assert stage_settings({}, "title_abstract").screeners == ()
