"""Breaking a question down by area or by an "about you" answer, with small numbers hidden."""

import pytest
from django.core.cache import cache

from consultations.analysis.results import breakdown_choices, question_breakdown
from tests.consultations.test_results import (
    ballot,
    election_questions,
    key,
    make_index,
    new_consultation,
    store,
    survey_questions,
    ward,
)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def index(db):
    return make_index()


@pytest.fixture
def survey(index):
    return new_consultation(index, "survey", survey_questions())


def cells(breakdown):
    """{(row label, group label): (count, percent)} for the cells shown counting somebody, and
    the hidden ones. (Zeros are shown: see test_an_answer_nobody_chose_is_shown_as_zero.)"""
    shown, hidden = {}, set()
    for row in breakdown["rows"]:
        for group, cell in zip(breakdown["groups"], row["cells"], strict=True):
            if cell["suppressed"]:
                hidden.add((row["label"], group["label"]))
            elif cell["count"]:
                shown[row["label"], group["label"]] = (cell["count"], cell["percent"])
    return shown, hidden


def totals(breakdown):
    return {group["label"]: group["answered"] for group in breakdown["groups"]}


def answer_many(page, times, **answers):
    for _ in range(times):
        store(page, **answers)


@pytest.fixture
def choices_by_ward(survey):
    yes, no = key("choice", "Yes"), key("choice", "No")
    answer_many(survey, 12, choice={"option": yes}, about={"ward": ward("Abbey")})
    answer_many(survey, 10, choice={"option": no}, about={"ward": ward("Abbey")})
    answer_many(survey, 15, choice={"option": yes}, about={"ward": ward("Westgate")})
    answer_many(survey, 3, choice={"option": no}, about={"ward": ward("Westgate")})
    answer_many(survey, 4, choice={"option": yes}, about={"ward": ward("Millbrook")})
    answer_many(survey, 6, choice={"option": yes})  # no area given: in no group
    return question_breakdown(survey, key("choice"), "area")


def test_a_breakdown_by_area_counts_each_answer_in_each_ward(choices_by_ward):
    shown, _hidden = cells(choices_by_ward)

    assert shown == {("Yes", "Abbey"): (12, 54.5), ("No", "Abbey"): (10, 45.5)}


def test_an_answer_nobody_chose_is_shown_as_zero(choices_by_ward):
    other_in_abbey = choices_by_ward["rows"][2]["cells"][0]

    assert other_in_abbey == {"count": 0, "percent": 0.0, "suppressed": False}


def test_a_small_count_is_hidden_with_what_would_give_it_away(choices_by_ward):
    # Westgate: 15 yes and 3 no of 18. Showing 15 and 18 would give the 3 away.
    _shown, hidden = cells(choices_by_ward)

    assert ("No", "Westgate") in hidden
    assert ("Yes", "Westgate") in hidden or totals(choices_by_ward)["Westgate"] is None


def test_a_breakdown_hides_cells_under_ten_and_totals_under_ten(choices_by_ward):
    _shown, hidden = cells(choices_by_ward)

    assert ("No", "Westgate") in hidden
    assert ("Yes", "Millbrook") in hidden
    assert totals(choices_by_ward)["Abbey"] == 22
    assert totals(choices_by_ward)["Millbrook"] is None
    assert all(
        cell["count"] is None and cell["percent"] is None
        for row in choices_by_ward["rows"]
        for cell in row["cells"]
        if cell["suppressed"]
    )


def test_a_breakdown_lists_every_ward_and_prefer_not_to_say_as_groups(choices_by_ward):
    assert [group["label"] for group in choices_by_ward["groups"]] == [
        "Abbey",
        "Castlefield",
        "Eastmoor",
        "Kingsmere Central",
        "Millbrook",
        "Westgate",
        "Prefer not to say",
    ]
    assert [row["label"] for row in choices_by_ward["rows"]] == ["Yes", "No", "Other"]
    assert choices_by_ward["by_label"] == "Area"


def test_a_lone_small_cell_in_a_group_hides_the_next_smallest_too(survey):
    walk, cycle, bus = (key("travel", mode) for mode in ("Walk", "Cycle", "Bus"))
    for ward_name, times in [("Abbey", (12, 11, 2)), ("Westgate", (10, 10, 10))]:
        about = {"ward": ward(ward_name)}
        for option, count in zip((walk, cycle, bus), times, strict=True):
            answer_many(survey, count, travel={"options": [option]}, about=about)

    breakdown = question_breakdown(survey, key("travel"), "area")
    _shown, hidden = cells(breakdown)

    # Bus in Abbey (2) is hidden; Abbey's total and the 12 who came by bus are published, so
    # something else in Abbey's column and in the Bus row is hidden too.
    assert ("Bus", "Abbey") in hidden
    abbey_hidden = {row for row, group in hidden if group == "Abbey"}
    assert len(abbey_hidden) >= 2 or totals(breakdown)["Abbey"] is None
    assert len({group for row, group in hidden if row == "Bus"}) >= 2


def test_a_count_the_published_answers_give_away_is_shown(survey):
    # Everyone lives in Abbey, so Abbey's column is the question's own published counts.
    walk, bus = key("travel", "Walk"), key("travel", "Bus")
    answer_many(survey, 12, travel={"options": [walk]}, about={"ward": ward("Abbey")})
    answer_many(survey, 2, travel={"options": [bus]}, about={"ward": ward("Abbey")})

    shown, _hidden = cells(question_breakdown(survey, key("travel"), "area"))

    assert shown[("Bus", "Abbey")] == (2, 14.3)


def test_a_ranking_breaks_down_into_the_share_ranking_each_item_first(survey):
    about_35 = {"age_band": "35_44"}
    answer_many(survey, 10, ranking=ballot("Libraries", "Parks"), about=about_35)
    answer_many(survey, 5, ranking=ballot("Parks", "Roads"), about=about_35)
    answer_many(survey, 12, ranking=ballot("Parks", "Libraries"), about={"age_band": "45_54"})
    answer_many(survey, 20, ranking=ballot("Roads", "Parks"), about={"age_band": "55_64"})

    breakdown = question_breakdown(survey, key("ranking"), "about_you:age_band")
    _shown, hidden = cells(breakdown)

    assert breakdown["measure"] == "Residents who ranked each first"
    assert breakdown["by_label"] == "What is your age?"
    assert ("Parks", "35 to 44") in hidden
    assert totals(breakdown)["35 to 44"] == 15
    assert totals(breakdown)["55 to 64"] == 20


def test_a_resident_with_several_connections_counts_in_each_group(survey):
    yes = {"option": key("choice", "Yes")}
    answer_many(survey, 10, choice=yes, about={"connection": ["live", "work"]})
    answer_many(survey, 10, choice=yes, about={"connection": ["live"]})

    breakdown = question_breakdown(survey, key("choice"), "about_you:connection")
    shown, _hidden = cells(breakdown)

    assert shown[("Yes", "I live in the area")] == (20, 100.0)
    assert shown[("Yes", "I work in the area")] == (10, 100.0)


def test_every_about_you_answer_but_the_postcode_is_offered_with_area_first(survey):
    assert breakdown_choices(survey) == [
        ("area", "Area"),
        ("about_you:age_band", "What is your age?"),
        ("about_you:connection", "What is your connection to the area?"),
        ("about_you:sex", "What is your sex?"),
        ("about_you:disability", "Do you consider yourself to have a disability?"),
        ("about_you:ethnicity", "What is your ethnic group?"),
    ]


@pytest.mark.parametrize(
    ("question_name", "by"),
    [
        ("comments", "area"),
        ("visits", "area"),
        ("choice", "about_you:postcode_district"),
        ("choice", "about_you:shoe_size"),
        ("choice", "channel"),
    ],
)
def test_questions_and_groupings_that_cannot_be_broken_down_are_refused(survey, question_name, by):
    with pytest.raises(ValueError):
        question_breakdown(survey, key(question_name), by)


def test_a_consultation_without_about_you_offers_no_breakdown(index):
    election = new_consultation(index, "election", election_questions())

    assert breakdown_choices(election) == []


def test_a_breakdown_is_served_from_the_cache_until_answers_change(
    survey, django_assert_num_queries
):
    answer_many(survey, 10, choice={"option": key("choice", "Yes")}, about={"ward": ward("Abbey")})
    first = question_breakdown(survey, key("choice"), "area")

    with django_assert_num_queries(4):
        assert question_breakdown(survey, key("choice"), "area") == first

    store(survey, choice={"option": key("choice", "Yes")}, about={"ward": ward("Abbey")})
    assert totals(question_breakdown(survey, key("choice"), "area"))["Abbey"] == 11
