"""The results dictionary (decision 0004): counted in SQL end to end, checked by hand.

The ranking arithmetic itself is tested on plain counts in test_ranking.py; here residents'
answers are stored as the journey stores them (`submit_response`) and the whole path — the
grouped queries, the count of identical ballots, Borda and Schulze — is checked against results
worked out by hand or published.
"""

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import connection
from wagtail.models import Page

from consultations.analysis import themes
from consultations.analysis.results import (
    SMALLEST_CELL,
    consultation_results,
)
from consultations.journey import questions_of
from consultations.models import (
    Answer,
    Channel,
    Comment,
    ModerationStatus,
    RankingBallot,
    RankingPosition,
    Response,
    Theme,
)
from consultations.question_types.agreement import AGREEMENT_SCALE
from consultations.responses import store_ranking_positions, submit_response
from tests import builders
from tests.builders import (
    ConsultationIndexPageFactory,
    ConsultationPageFactory,
    HomePageFactory,
    InformationPageFactory,
    UserFactory,
)

SERVICES = ["Libraries", "Parks", "Roads", "Bins"]
CANDIDATES = list("ABCDE")


def key(name, label=None):
    """The id a survey question (or one of its options) was built with."""
    if label is None:
        return builders.stable_id(f"survey/{name}")
    return builders.stable_id(f"survey/{name}-options", label)


def survey_questions(ranking_top=2):
    """Every question type results count, in two sections."""
    return [
        builders.section(
            "survey/one",
            "Your views",
            "",
            [
                builders.question(
                    "survey/ranking",
                    "priority_ranking",
                    "Rank the services",
                    items=builders.items("survey/ranking-options", [(s, "") for s in SERVICES]),
                    top_n=ranking_top,
                ),
                builders.question(
                    "survey/choice",
                    "single_choice",
                    "Should we open on Sundays?",
                    options=builders.items("survey/choice-options", [("Yes", ""), ("No", "")]),
                    allow_other=True,
                ),
                builders.question(
                    "survey/travel",
                    "multiple_choice",
                    "How do you get there?",
                    required=False,
                    options=builders.items(
                        "survey/travel-options", [("Walk", ""), ("Cycle", ""), ("Bus", "")]
                    ),
                    max_choices=None,
                ),
                builders.question("survey/agreement", "agreement_scale", "Parking should be free"),
                builders.question(
                    "survey/visits",
                    "number",
                    "Visits a month",
                    required=False,
                    min_value=Decimal("0"),
                    max_value=Decimal("100"),
                    whole_number=True,
                    unit="visits",
                ),
                builders.question(
                    "survey/comments", "free_text", "Anything else?", required=False, max_length=500
                ),
            ],
        ),
        builders.section("survey/two", "About you", "", [builders.about_you("survey/about")]),
    ]


def election_questions():
    """One 'rank all' question of five candidates, A to E, for published Schulze examples."""
    return [
        builders.section(
            "election/one",
            "Vote",
            "",
            [
                builders.question(
                    "election/ranking",
                    "priority_ranking",
                    "Rank the candidates",
                    items=builders.items("election/candidates", [(c, "") for c in CANDIDATES]),
                    top_n=None,
                )
            ],
        )
    ]


def ward(name):
    return builders.stable_id("survey/about/wards", name)


def make_index():
    """A consultation index and a privacy notice, without the rest of the demo council."""
    home = HomePageFactory(parent=Page.objects.get(depth=1), slug="home-for-results")
    InformationPageFactory(parent=home, slug="privacy")
    return ConsultationIndexPageFactory(parent=home)


@pytest.fixture
def index(db):
    return make_index()


def new_consultation(index, slug, questions):
    privacy = Page.objects.get(slug="privacy")
    return ConsultationPageFactory(
        parent=index, slug=slug, questions=questions, privacy_notice=privacy
    )


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def survey(index):
    return new_consultation(index, "survey", survey_questions())


def store(page, channel=Channel.ONLINE, **answers):
    """One resident's clean answers, stored as the journey stores them. Keyword names are the
    survey's question names; values are clean answers (see consultations/questions.py)."""
    by_id = {key(name): answer for name, answer in answers.items()}
    response, _created = submit_response(
        page, questions_of(page), by_id, uuid.uuid4(), channel=channel
    )
    return response


def ballot(*ranked, prefix="ranking"):
    """A ranking answer: the labels given, in order from first."""
    return {"positions": {key(prefix, label): place for place, label in enumerate(ranked, start=1)}}


def question(results, name):
    return next(q for q in results["questions"] if q["id"] == key(name))


def fresh(page):
    cache.clear()
    return consultation_results(page)


# The shape of the dictionary ---------------------------------------------------------------


def test_the_dictionary_has_the_keys_of_the_contract_for_every_question_type(survey):
    store(survey, ranking=ballot("Libraries", "Parks"), choice={"option": key("choice", "Yes")})

    results = consultation_results(survey)

    assert set(results) == {"consultation", "smallest_cell", "responses", "questions"}
    assert set(results["consultation"]) == {"id", "slug", "title", "opens_at", "closes_at"}
    assert results["consultation"]["opens_at"] == survey.opens_at.isoformat()
    assert results["smallest_cell"] == SMALLEST_CELL == 10
    assert set(results["responses"]) == {"total", "by_channel", "by_area", "over_time"}
    by_type = {q["type"]: q for q in results["questions"]}
    common = {"id", "type", "question", "section", "answered"}
    assert set(by_type["single_choice"]) == common | {"options"}
    assert set(by_type["multiple_choice"]) == common | {"options", "multiple"}
    assert set(by_type["agreement_scale"]) == common | {"options"}
    assert set(by_type["priority_ranking"]) == common | {
        "places",
        "items",
        "borda_order",
        "schulze_order",
        "pairwise",
    }
    assert set(by_type["number"]) == common | {"count", "mean", "median", "min", "max"}
    assert set(by_type["free_text"]) == common | {"comments", "themes"}
    assert set(by_type["about_you"]) == common | {"parts"}
    assert set(by_type["priority_ranking"]["items"][0]) == {
        "key",
        "label",
        "points",
        "mean_rank",
        "first_choices",
        "share_first",
        "ranked_by",
    }


def test_questions_come_in_the_consultations_order_with_their_section(survey):
    results = consultation_results(survey)

    assert [q["type"] for q in results["questions"]] == [
        "priority_ranking",
        "single_choice",
        "multiple_choice",
        "agreement_scale",
        "number",
        "free_text",
        "about_you",
    ]
    assert [q["section"] for q in results["questions"]][-2:] == ["Your views", "About you"]


def test_the_dictionary_survives_a_json_round_trip(survey):
    store(survey, ranking=ballot("Roads", "Bins"), visits={"number": "4"})

    results = consultation_results(survey)

    assert json.loads(json.dumps(results)) == results


# Rankings: Borda by hand, Schulze on published examples ---------------------------------------

# "Rank your top 2" of 4 services (N = 4: first place earns 3 points, second 2, unranked 0):
#   1. Libraries, Parks   2. Libraries, Roads   3. Parks, Libraries
#   4. Roads, Parks       5. Libraries, Parks
# Libraries: 3 + 3 + 2 + 3        = 11   mean rank (1 + 1 + 2 + 1) / 4 = 1.25   first 3 of 5
# Parks:     2 + 3 + 2 + 2        =  9   mean rank (2 + 1 + 2 + 2) / 4 = 1.75   first 1 of 5
# Roads:     2 + 3                =  5   mean rank (2 + 1) / 2         = 1.5    first 1 of 5
# Bins:      never ranked         =  0
FIVE_BALLOTS = [
    ("Libraries", "Parks"),
    ("Libraries", "Roads"),
    ("Parks", "Libraries"),
    ("Roads", "Parks"),
    ("Libraries", "Parks"),
]


@pytest.fixture
def five_ballots(survey):
    for ranked in FIVE_BALLOTS:
        store(survey, ranking=ballot(*ranked))
    return question(consultation_results(survey), "ranking")


def test_borda_points_mean_rank_and_first_choices_match_the_hand_count(five_ballots):
    items = {item["label"]: item for item in five_ballots["items"]}

    assert five_ballots["answered"] == 5
    assert five_ballots["places"] == 2
    assert {label: item["points"] for label, item in items.items()} == {
        "Libraries": 11,
        "Parks": 9,
        "Roads": 5,
        "Bins": 0,
    }
    assert [items[s]["mean_rank"] for s in SERVICES] == [1.25, 1.75, 1.5, None]
    assert [items[s]["first_choices"] for s in SERVICES] == [3, 1, 1, 0]
    assert [items[s]["share_first"] for s in SERVICES] == [60.0, 20.0, 20.0, 0.0]
    assert [items[s]["ranked_by"] for s in SERVICES] == [4, 4, 2, 0]


def test_rankings_stored_before_ballots_get_them_from_their_positions(survey, five_ballots):
    """Migration 0009 gives every ranking stored before it its ballot, which results count."""
    RankingBallot.objects.all().delete()
    assert question(fresh(survey), "ranking")["answered"] == 0  # results count ballots alone

    migration = import_module("consultations.migrations.0009_ranking_ballots")
    # The schema editor's own statement runner (SQLite's editor cannot open inside a test's
    # transaction), with the vendor's SQL the migration runs.
    with connection.cursor() as cursor:
        runner = SimpleNamespace(connection=connection, execute=cursor.execute)
        migration.ballots_from_positions(django_apps, runner)

    assert RankingBallot.objects.count() == len(FIVE_BALLOTS)
    assert question(fresh(survey), "ranking") == five_ballots


def test_borda_order_lists_item_keys_best_first(five_ballots):
    assert five_ballots["borda_order"] == [
        [key("ranking", "Libraries")],
        [key("ranking", "Parks")],
        [key("ranking", "Roads")],
        [key("ranking", "Bins")],
    ]


def test_the_pairwise_matrix_counts_ranked_over_unranked_and_has_no_diagonal(five_ballots):
    # Libraries over Parks: ballots 1, 2 (Parks unranked) and 5; Parks over Libraries: 3 and 4.
    # Libraries over Roads: 1, 2, 3, 5; Roads over Libraries: 4. Parks over Roads: 1, 3, 5;
    # Roads over Parks: 2, 4. Bins, never ranked, is beaten by every ballot ranking the other.
    pairwise = five_ballots["pairwise"]

    assert pairwise["keys"] == [key("ranking", s) for s in SERVICES]
    assert pairwise["matrix"] == [
        [None, 3, 4, 4],
        [2, None, 3, 4],
        [1, 2, None, 2],
        [0, 0, 0, None],
    ]
    assert five_ballots["schulze_order"] == [[k] for k in pairwise["keys"]]


# Wikipedia, "Schulze method" (and Schulze 2011): 45 voters, candidates A to E.
WIKIPEDIA_45 = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]


def vote(page, profile):
    for voters, order in profile:
        for _ in range(voters):
            submit_response(
                page,
                questions_of(page),
                {
                    builders.stable_id("election/ranking"): {
                        "positions": {
                            builders.stable_id("election/candidates", c): place
                            for place, c in enumerate(order, start=1)
                        }
                    }
                },
                uuid.uuid4(),
            )


@pytest.fixture
def election(index):
    return new_consultation(index, "election", election_questions())


def labels_of(ranking, tiers):
    names = {item["key"]: item["label"] for item in ranking["items"]}
    return [[names[k] for k in tier] for tier in tiers]


def test_the_wikipedia_45_voter_example_orders_e_a_c_b_d_from_stored_answers(election):
    vote(election, WIKIPEDIA_45)

    [ranking] = consultation_results(election)["questions"]

    assert ranking["answered"] == 45
    # The published d[X, Y] table, diagonal blank.
    assert ranking["pairwise"]["matrix"] == [
        [None, 20, 26, 30, 22],
        [25, None, 16, 33, 18],
        [19, 29, None, 17, 24],
        [15, 12, 28, None, 14],
        [23, 27, 21, 31, None],
    ]
    assert labels_of(ranking, ranking["schulze_order"]) == [["E"], ["A"], ["C"], ["B"], ["D"]]


def test_electowiki_example_4_reports_its_ties_as_ties(election):
    # Electowiki, "Schulze method", example 4 (9 voters, A to D; E ranked last by everyone so
    # the question's five candidates can be used): B and D tie first, A and C tie next.
    vote(election, [(3, "ABCDE"), (2, "DABCE"), (2, "DBCAE"), (2, "CBDAE")])

    [ranking] = consultation_results(election)["questions"]

    assert labels_of(ranking, ranking["schulze_order"]) == [["B", "D"], ["A", "C"], ["E"]]


def test_borda_ties_are_tiers_of_more_than_one_item(election):
    vote(election, [(1, "ABCDE"), (1, "BACDE")])

    [ranking] = consultation_results(election)["questions"]

    assert labels_of(ranking, ranking["borda_order"]) == [["A", "B"], ["C"], ["D"], ["E"]]


def test_a_question_nobody_answered_has_no_shares_and_one_tier(survey):
    ranking = question(consultation_results(survey), "ranking")

    assert ranking["answered"] == 0
    assert all(
        item["share_first"] is None and item["mean_rank"] is None for item in ranking["items"]
    )
    assert ranking["schulze_order"] == [[key("ranking", s) for s in SERVICES]]


# Choice, agreement, number ------------------------------------------------------------------


def option_counts(q):
    return [(o["label"], o["count"], o["percent"]) for o in q["options"]]


def test_single_choice_counts_and_percentages_include_other_without_its_words(survey):
    store(survey, choice={"option": key("choice", "Yes")})
    store(survey, choice={"option": key("choice", "Yes")})
    store(survey, choice={"option": "other", "other": "Only in summer"})

    choice = question(consultation_results(survey), "choice")

    assert choice["answered"] == 3
    assert option_counts(choice) == [("Yes", 2, 66.7), ("No", 0, 0.0), ("Other", 1, 33.3)]
    assert choice["options"][-1]["key"] == "other"


def test_multiple_choice_counts_each_option_once_per_resident_and_shares_can_pass_100(survey):
    store(survey, travel={"options": [key("travel", "Walk"), key("travel", "Cycle")]})
    store(survey, travel={"options": [key("travel", "Walk")]})
    store(
        survey,
        travel={"options": [key("travel", "Walk"), key("travel", "Cycle"), key("travel", "Bus")]},
    )

    travel = question(consultation_results(survey), "travel")

    assert travel["multiple"] is True
    assert travel["answered"] == 3
    assert option_counts(travel) == [("Walk", 3, 100.0), ("Cycle", 2, 66.7), ("Bus", 1, 33.3)]
    assert sum(o["percent"] for o in travel["options"]) > 100


def test_agreement_lists_every_point_of_the_scale_in_order(survey):
    for option in ["strongly_agree", "agree", "agree", "dont_know"]:
        store(survey, agreement={"option": option})

    agreement = question(consultation_results(survey), "agreement")

    assert [o["key"] for o in agreement["options"]] == [k for k, _label in AGREEMENT_SCALE]
    assert [(o["count"], o["percent"]) for o in agreement["options"]] == [
        (1, 25.0),
        (2, 50.0),
        (0, 0.0),
        (0, 0.0),
        (0, 0.0),
        (1, 25.0),
    ]


def test_percentages_round_halves_up_to_one_decimal_place(survey):
    # 1 of 16 is 6.25% and 15 of 16 is 93.75%: halves round up (not to even) to 6.3 and 93.8.
    store(survey, agreement={"option": "agree"})
    for _ in range(15):
        store(survey, agreement={"option": "disagree"})

    agreement = question(consultation_results(survey), "agreement")
    percents = {o["key"]: o["percent"] for o in agreement["options"]}

    assert (percents["agree"], percents["disagree"]) == (6.3, 93.8)


def test_numbers_give_count_mean_median_and_range(survey):
    for number in ["3", "10", "4", "7"]:
        store(survey, visits={"number": number})

    visits = question(consultation_results(survey), "visits")

    # Sorted 3, 4, 7, 10: the median is the mean of 4 and 7.
    assert {k: visits[k] for k in ("answered", "count", "mean", "median", "min", "max")} == {
        "answered": 4,
        "count": 4,
        "mean": 6.0,
        "median": 5.5,
        "min": 3.0,
        "max": 10.0,
    }


def test_a_number_nobody_gave_has_no_statistics(survey):
    visits = question(consultation_results(survey), "visits")

    assert (visits["count"], visits["mean"], visits["median"]) == (0, None, None)


# Free text: counts only ----------------------------------------------------------------------


def moderate(comment, status, public_text=""):
    comment.status = status
    comment.public_text = public_text
    comment.save()
    return comment


@pytest.fixture
def four_comments(survey):
    for words in ["Open later", "My name is Jo", "Rude words", "Not read yet"]:
        store(survey, comments={"text": words})
    approved, redacted, rejected, _pending = Comment.objects.order_by("pk")
    moderate(approved, ModerationStatus.APPROVED, "Open later")
    moderate(redacted, ModerationStatus.REDACTED, "My name is [removed]")
    moderate(rejected, ModerationStatus.REJECTED)
    return approved, redacted, rejected


def test_free_text_counts_comments_by_moderation_status(four_comments, survey):
    comments = question(consultation_results(survey), "comments")

    assert comments["answered"] == 4
    assert comments["comments"] == {"total": 4, "published": 2, "pending": 1, "rejected": 1}


def test_themes_count_only_published_comments(four_comments, survey):
    approved, redacted, rejected = four_comments
    analyst = UserFactory()
    hours = themes.add_theme(survey, "Opening hours", analyst)
    themes.add_theme(survey, "Nobody mentions this", analyst)
    themes.tag_comment(approved, hours, analyst)
    themes.tag_comment(redacted, hours, analyst)
    # Tagged while published, then rejected: it no longer counts.
    moderate(redacted, ModerationStatus.REJECTED)

    comments = question(consultation_results(survey), "comments")

    assert comments["themes"] == [{"name": "Opening hours", "count": 1}]


def test_no_text_written_by_residents_is_in_the_results(four_comments, survey):
    store(
        survey,
        choice={"option": "other", "other": "Secret other words"},
        about={"postcode_district": "ZZ9", "age_band": "35_44"},
    )
    other = Comment.objects.get(answer__text="Secret other words")
    moderate(other, ModerationStatus.APPROVED, "Secret other words")

    text = json.dumps(consultation_results(survey))

    for words in [
        "Open later",
        "My name is",
        "[removed]",
        "Rude words",
        "Not read yet",
        "Secret other words",
        "ZZ9",
    ]:
        assert words not in text


# About you: small numbers are hidden ----------------------------------------------------------


def test_about_you_counts_under_ten_are_hidden_and_a_lone_hidden_count_takes_the_next(survey):
    # 12 female, 11 male, 3 prefer not to say: 3 is hidden; alone it could be worked out from
    # the total, so the next smallest (11) is hidden too.
    for sex, times in [("female", 12), ("male", 11), ("prefer_not_to_say", 3)]:
        for _ in range(times):
            store(survey, about={"sex": sex})

    about = question(consultation_results(survey), "about")
    sex = next(part for part in about["parts"] if part["key"] == "sex")

    assert sex["answered"] == 26
    assert [(o["key"], o["count"], o["percent"], o["suppressed"]) for o in sex["options"]] == [
        ("female", 12, 46.2, False),
        ("male", None, None, True),
        ("prefer_not_to_say", None, None, True),
    ]


def test_an_about_you_part_answered_by_fewer_than_ten_hides_its_total(survey):
    store(survey, about={"age_band": "35_44"})

    about = question(consultation_results(survey), "about")
    age = next(part for part in about["parts"] if part["key"] == "age_band")

    assert age["answered"] is None
    chosen = next(o for o in age["options"] if o["key"] == "35_44")
    assert chosen["suppressed"] and chosen["count"] is None


def test_a_multiple_answer_part_counts_residents_not_ticks(survey):
    for _ in range(10):
        store(survey, about={"connection": ["live", "work"]})
    for _ in range(10):
        store(survey, about={"connection": ["live"]})

    about = question(consultation_results(survey), "about")
    connection = next(part for part in about["parts"] if part["key"] == "connection")

    assert connection["answered"] == 20
    counts = {o["key"]: o["count"] for o in connection["options"] if o["count"]}
    assert counts == {"live": 20, "work": 10}


# Who responded --------------------------------------------------------------------------------


def test_responses_are_counted_by_channel_with_every_channel_listed(survey):
    store(survey, channel=Channel.ONLINE)
    store(survey, channel=Channel.ONLINE)
    store(survey, channel=Channel.PAPER)

    responses = consultation_results(survey)["responses"]

    assert responses["total"] == 3
    assert [(c["key"], c["count"], c["percent"]) for c in responses["by_channel"]] == [
        ("online", 2, 66.7),
        ("paper", 1, 33.3),
        ("email", 0, 0.0),
        ("event", 0, 0.0),
    ]


def test_responses_by_area_come_from_the_ward_answer_with_small_areas_hidden(survey):
    for _ in range(12):
        store(survey, about={"ward": ward("Abbey")})
    for _ in range(15):
        store(survey, about={"ward": ward("Westgate")})
    for _ in range(11):
        store(survey)
    store(survey, about={"ward": ward("Millbrook")})

    by_area = consultation_results(survey)["responses"]["by_area"]
    shown = {a["label"]: (a["count"], a["percent"]) for a in by_area if a["count"]}

    assert [a["label"] for a in by_area] == [*builders.AREAS, "Prefer not to say", "Did not say"]
    # Millbrook (1) is hidden, and Abbey (12), the next smallest, so that 1 is not simply what
    # the total less the areas shown leaves.
    assert shown == {"Westgate": (15, 38.5), "Did not say": (11, 28.2)}
    assert next(a for a in by_area if a["label"] == "Millbrook")["count"] is None
    assert next(a for a in by_area if a["label"] == "Abbey")["count"] is None


def test_an_area_is_hidden_in_responses_by_area_exactly_when_in_the_about_you_answers(survey):
    # Reported: "Prefer not to say" (3) and "Did not say" (5) hid each other in responses by
    # area, so Millbrook (11) showed there; the "about you" table hid Millbrook to protect the
    # 3, and showed the total who answered, so 3 = total - every area shown in the first table.
    wards = {"Abbey": 20, "Castlefield": 12, "Eastmoor": 13, "Kingsmere Central": 14}
    for name, times in {**wards, "Millbrook": 11, "Westgate": 15}.items():
        for _ in range(times):
            store(survey, about={"ward": ward(name)})
    for _ in range(3):
        store(survey, about={"ward": "prefer_not_to_say"})
    for _ in range(5):
        store(survey)

    results = consultation_results(survey)
    by_area = {row["key"]: row for row in results["responses"]["by_area"]}
    area_part = next(p for p in question(results, "about")["parts"] if p["key"] == "ward")

    assert len(area_part["options"]) == 7
    for option in area_part["options"]:
        assert by_area[option["key"]]["count"] == option["count"], option["label"]
    assert by_area["prefer_not_to_say"]["count"] is None
    assert area_part["answered"] is None or by_area["not_answered"]["count"] is None


def test_responses_over_time_are_counted_by_day_in_the_councils_time_zone(survey):
    moments = [
        datetime(2026, 6, 30, 23, 30, tzinfo=UTC),  # 00:30 on 1 July in London (BST)
        datetime(2026, 7, 1, 8, 0, tzinfo=UTC),
        datetime(2026, 7, 3, 12, 0, tzinfo=UTC),
    ]
    for moment in moments:
        Response.objects.filter(pk=store(survey).pk).update(submitted_at=moment)

    assert consultation_results(survey)["responses"]["over_time"] == [
        {"date": "2026-07-01", "count": 2, "cumulative": 2},
        {"date": "2026-07-02", "count": 0, "cumulative": 2},
        {"date": "2026-07-03", "count": 1, "cumulative": 3},
    ]


def test_answers_to_a_copy_of_the_consultation_are_not_counted(index, survey):
    copy = new_consultation(index, "survey-copy", survey_questions())
    store(survey, choice={"option": key("choice", "Yes")})
    store(copy, choice={"option": key("choice", "No")}, ranking=ballot("Bins", "Roads"))

    results = consultation_results(survey)

    assert results["responses"]["total"] == 1
    assert option_counts(question(results, "choice"))[:2] == [("Yes", 1, 100.0), ("No", 0, 0.0)]
    assert question(results, "ranking")["answered"] == 0


# The cache: fresh whenever anything counted changes ----------------------------------------------


def test_a_second_call_is_served_from_the_cache_after_the_fingerprint_queries(
    survey, django_assert_num_queries
):
    store(survey, choice={"option": key("choice", "Yes")})
    first = consultation_results(survey)

    with django_assert_num_queries(4):  # the fingerprint's four aggregates, then the cache
        assert consultation_results(survey) == first


def test_a_new_response_gives_fresh_results(survey):
    store(survey, choice={"option": key("choice", "Yes")})
    assert consultation_results(survey)["responses"]["total"] == 1

    store(survey, choice={"option": key("choice", "No")})

    assert consultation_results(survey)["responses"]["total"] == 2


def test_an_import_with_bulk_create_gives_fresh_results(survey):
    assert consultation_results(survey)["responses"]["total"] == 0

    [response] = Response.objects.bulk_create(
        [Response(consultation=survey, reference="KBC-IMPORT-1", channel=Channel.PAPER)]
    )
    Answer.objects.bulk_create(
        [Answer(response=response, question_id=key("choice"), option=key("choice", "No"))]
    )
    store_ranking_positions(
        [
            RankingPosition(
                response=response,
                question_id=key("ranking"),
                item_id=key("ranking", "Bins"),
                position=1,
            )
        ]
    )

    results = consultation_results(survey)
    assert results["responses"]["total"] == 1
    assert question(results, "choice")["options"][1]["count"] == 1


def test_deleting_one_response_and_importing_another_gives_fresh_results(survey):
    first = store(survey, choice={"option": key("choice", "Yes")})
    consultation_results(survey)

    first.delete()
    store(survey, choice={"option": key("choice", "No")})

    choice = question(consultation_results(survey), "choice")
    assert [o["count"] for o in choice["options"]] == [0, 1, 0]


def test_a_moderation_decision_gives_fresh_results(survey):
    store(survey, comments={"text": "Open later"})
    assert question(consultation_results(survey), "comments")["comments"]["published"] == 0

    moderate(Comment.objects.get(), ModerationStatus.APPROVED, "Open later")

    assert question(consultation_results(survey), "comments")["comments"]["published"] == 1


def test_tagging_renaming_and_deleting_themes_give_fresh_results(survey):
    store(survey, comments={"text": "Open later"})
    comment = moderate(Comment.objects.get(), ModerationStatus.APPROVED, "Open later")
    analyst = UserFactory()
    theme = themes.add_theme(survey, "Hours", analyst)
    assert question(consultation_results(survey), "comments")["themes"] == []

    themes.tag_comment(comment, theme, analyst)
    assert question(consultation_results(survey), "comments")["themes"] == [
        {"name": "Hours", "count": 1}
    ]

    themes.rename_theme(theme, "Opening hours", analyst)
    assert question(consultation_results(survey), "comments")["themes"] == [
        {"name": "Opening hours", "count": 1}
    ]

    themes.delete_theme(Theme.objects.get(), analyst)
    assert question(consultation_results(survey), "comments")["themes"] == []


def test_untagging_one_comment_and_tagging_another_gives_fresh_results(survey):
    for words in ["One", "Two"]:
        store(survey, comments={"text": words})
    one, two = (moderate(c, ModerationStatus.APPROVED, "x") for c in Comment.objects.order_by("pk"))
    analyst = UserFactory()
    theme = themes.add_theme(survey, "Hours", analyst)
    themes.tag_comment(one, theme, analyst)
    themes.tag_comment(two, theme, analyst)
    consultation_results(survey)

    themes.untag_comment(one, theme, analyst)
    themes.untag_comment(two, theme, analyst)
    themes.tag_comment(one, theme, analyst)

    assert question(consultation_results(survey), "comments")["themes"] == [
        {"name": "Hours", "count": 1}
    ]


def test_rewording_a_question_gives_fresh_results(survey):
    consultation_results(survey)
    questions = survey_questions()
    questions[0]["value"]["questions"][1]["value"]["question"] = "Open on Sundays?"
    survey.questions = questions
    survey.save()

    assert question(consultation_results(survey), "choice")["question"] == "Open on Sundays?"


# The budget simulator ---------------------------------------------------------------------------


def test_simulator_lines_agree_with_the_budget_simulators_own_results(demo_site):
    from budget_simulator.results import consultation_results as simulator_results
    from consultations.models import ConsultationPage

    last_year = ConsultationPage.objects.get(slug="budget-2026-27")
    [expected] = simulator_results(last_year)

    [simulator] = [
        q for q in consultation_results(last_year)["questions"] if q["type"] == "budget_simulator"
    ]

    assert simulator["answered"] == expected.responses > 0
    assert [line["name"] for line in simulator["lines"]] == [
        line.lever.name for line in expected.lines
    ]
    for found, line in zip(simulator["lines"] + simulator["revenue"], expected.levers, strict=True):
        assert found["key"] == line.lever.id
        assert (found["responses"], found["cut"], found["kept"], found["increased"]) == (
            line.responses,
            line.cut,
            line.kept,
            line.increased,
        )
        assert abs(Decimal(str(found["mean_percent"])) - line.mean_percent) <= Decimal("0.005")
        assert abs(Decimal(str(found["median_percent"])) - line.median_percent) <= Decimal("0.005")
