"""Ranking results on plain counts: Borda points, pairwise preferences and the Schulze order.

No database. Borda is checked on a small example worked on paper; Schulze on published worked
examples (sources beside each), on hand-made edge cases, and against brute force.
"""

import itertools
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultations.ranking import (
    borda,
    pairwise_from_ballots,
    pairwise_from_counts,
    schulze,
)

SERVICES = ["libraries", "parks", "roads", "bins"]

# "Rank your top 2" of the 4 services, answered by 4 residents.
TOP_TWO_BALLOTS = [
    {"libraries": 1, "parks": 2},
    {"parks": 1, "roads": 2},
    {"libraries": 1, "roads": 2},
    {"roads": 1, "libraries": 2},
]


def position_counts(ballots):
    """What the results page's SQL returns: (item_id, position) -> residents."""
    return Counter(
        (item_id, position) for ballot in ballots for item_id, position in ballot.items()
    )


def ranked_above(ballots):
    """What the self-join returns: (a, b) -> residents who ranked both, a above b."""
    return Counter(
        (a, b)
        for ballot in ballots
        for a, position_a in ballot.items()
        for b, position_b in ballot.items()
        if position_a < position_b
    )


def ballots_from(published):
    """Ballots from a published profile: [(voters, "ACBED"), ...], first letter ranked 1."""
    return [
        {item_id: position for position, item_id in enumerate(order, start=1)}
        for voters, order in published
        for _ in range(voters)
    ]


def ranked_all(order):
    return {item_id: position for position, item_id in enumerate(order, start=1)}


def scores_by_item(result):
    return {score.item_id: score for score in result.scores}


# --- Borda -----------------------------------------------------------------------------------


def test_top_k_ballots_score_n_minus_position_and_nothing_when_unranked():
    # N = 4 items, so position 1 earns 4 - 1 = 3 points, position 2 earns 4 - 2 = 2, unranked 0.
    # libraries: 3 (1st, resident 1) + 3 (1st, resident 3) + 2 (2nd, resident 4) = 8
    # parks:     2 (2nd, resident 1) + 3 (1st, resident 2)                       = 5
    # roads:     2 (2nd, resident 2) + 2 (2nd, resident 3) + 3 (1st, resident 4) = 7
    # bins:      never ranked                                                   = 0
    result = borda(position_counts(TOP_TWO_BALLOTS), SERVICES, places=2, responses=4)

    assert {s.item_id: s.points for s in result.scores} == {
        "libraries": 8,
        "parks": 5,
        "roads": 7,
        "bins": 0,
    }
    assert result.order == (("libraries",), ("roads",), ("parks",), ("bins",))


def test_rank_all_ballots_score_n_minus_position():
    # N = 3: 1st earns 2, 2nd earns 1, 3rd earns 0.
    # a: 2 + 1 = 3, b: 1 + 2 = 3, c: 0 + 0 = 0 -> a and b tie.
    ballots = [ranked_all("abc"), ranked_all("bac")]

    result = borda(position_counts(ballots), ["a", "b", "c"], places=3, responses=2)

    assert [s.points for s in result.scores] == [3, 3, 0]
    assert result.order == (("a", "b"), ("c",))


def test_mean_rank_counts_only_residents_who_ranked_the_item():
    # libraries (1 + 1 + 2) / 3 = 4/3, parks (2 + 1) / 2 = 3/2, roads (2 + 2 + 1) / 3 = 5/3.
    result = borda(position_counts(TOP_TWO_BALLOTS), SERVICES, places=2, responses=4)
    scores = scores_by_item(result)

    assert scores["libraries"].mean_rank == Fraction(4, 3)
    assert scores["parks"].mean_rank == Fraction(3, 2)
    assert scores["roads"].mean_rank == Fraction(5, 3)
    assert scores["bins"].mean_rank is None
    assert [scores[item].ranked_by for item in SERVICES] == [3, 2, 3, 0]


def test_share_first_is_over_every_response_to_the_question():
    # 4 residents answered and 2 more skipped the question's page entirely: 6 responses.
    result = borda(position_counts(TOP_TWO_BALLOTS), SERVICES, places=2, responses=6)
    scores = scores_by_item(result)

    assert scores["libraries"].first_choices == 2
    assert scores["libraries"].share_first == Fraction(2, 6)
    assert scores["parks"].share_first == Fraction(1, 6)
    assert scores["roads"].share_first == Fraction(1, 6)
    assert scores["bins"].share_first == 0


def test_no_responses_gives_zero_points_and_no_shares():
    result = borda({}, SERVICES, places=2, responses=0)

    assert [s.points for s in result.scores] == [0, 0, 0, 0]
    assert all(s.share_first is None and s.mean_rank is None for s in result.scores)
    assert result.order == (tuple(SERVICES),)


def test_positions_beyond_places_still_score_after_top_k_is_lowered():
    # Answered when the question asked for a top 3; it now asks for a top 2. N = 4: 3rd earns 1.
    result = borda(position_counts([ranked_all("abc")]), "abcd", places=2, responses=1)

    assert [s.points for s in result.scores] == [3, 2, 1, 0]


@pytest.mark.parametrize(
    ("counts", "responses", "message"),
    [
        ({("libraries", 1): 1, ("museums", 2): 1}, 1, "unknown item"),
        ({("libraries", 5): 1}, 1, "impossible"),
        ({("libraries", 1): -1}, 1, "negative"),
        ({("libraries", 1): 2}, 1, "more than"),
        ({("libraries", 1): 1, ("parks", 1): 1}, 1, "more than"),
    ],
)
def test_borda_refuses_counts_that_cannot_come_from_the_answers(counts, responses, message):
    with pytest.raises(ValueError, match=message):
        borda(counts, SERVICES, places=2, responses=responses)


@pytest.mark.parametrize("places", [0, 5])
def test_borda_refuses_places_outside_the_number_of_items(places):
    with pytest.raises(ValueError, match="places"):
        borda({}, SERVICES, places=places, responses=0)


# --- Pairwise preferences ----------------------------------------------------------------------


def test_pairwise_counts_ranked_over_unranked_and_not_unranked_pairs():
    pairwise = pairwise_from_ballots(TOP_TWO_BALLOTS, SERVICES)

    assert pairwise == {
        # libraries beats parks on ballots 1 (above), 3 and 4 (parks unranked); loses on 2.
        "libraries": {"parks": 3, "roads": 2, "bins": 3},
        "parks": {"libraries": 1, "roads": 2, "bins": 2},
        "roads": {"libraries": 2, "parks": 2, "bins": 3},
        # bins is never ranked: it beats nobody, and ties with nobody-ranked items.
        "bins": {"libraries": 0, "parks": 0, "roads": 0},
    }


def test_two_unranked_items_are_no_preference_either_way():
    pairwise = pairwise_from_ballots([{"a": 1}], ["a", "b", "c"])

    assert pairwise["b"]["c"] == pairwise["c"]["b"] == 0
    assert pairwise["a"] == {"b": 1, "c": 1}


def test_pairwise_from_counts_matches_the_ballots():
    pairwise = pairwise_from_counts(
        ranked_above(TOP_TWO_BALLOTS), position_counts(TOP_TWO_BALLOTS), SERVICES
    )

    assert pairwise == pairwise_from_ballots(TOP_TWO_BALLOTS, SERVICES)


@pytest.mark.parametrize(
    "ballot",
    [{"libraries": 1, "parks": 1}, {"libraries": 0}, {"museums": 1}],
)
def test_pairwise_refuses_impossible_ballots(ballot):
    with pytest.raises(ValueError):
        pairwise_from_ballots([ballot], SERVICES)


def test_pairwise_from_counts_refuses_more_above_than_ranked():
    with pytest.raises(ValueError, match="above"):
        pairwise_from_counts({("b", "a"): 2}, {("a", 1): 1, ("b", 1): 1}, ["a", "b"])


def test_item_ids_must_be_distinct():
    with pytest.raises(ValueError, match="once"):
        schulze({}, ["a", "b", "a"])


# --- Schulze: published worked examples --------------------------------------------------------

# Markus Schulze, "A new monotonic, clone-independent, reversal symmetric, and Condorcet-consistent
# single-winner election method", Social Choice and Welfare 36 (2011); the same example is the one
# worked in Wikipedia's "Schulze method" article: 45 voters, 5 candidates.
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


def matrix(rows, items):
    """A published matrix, a row per item in `items` order, as {a: {b: value}} without a -> a."""
    return {
        a: {b: value for b, value in zip(items, row, strict=True) if b != a}
        for a, row in zip(items, rows, strict=True)
    }


def test_wikipedia_45_voter_example_pairwise_matrix():
    # The published d[X, Y] table (the diagonal, blank there, is 0 here and dropped).
    expected = matrix(
        [
            [0, 20, 26, 30, 22],
            [25, 0, 16, 33, 18],
            [19, 29, 0, 17, 24],
            [15, 12, 28, 0, 14],
            [23, 27, 21, 31, 0],
        ],
        "ABCDE",
    )

    assert pairwise_from_ballots(ballots_from(WIKIPEDIA_45), "ABCDE") == expected


def test_wikipedia_45_voter_example_orders_e_a_c_b_d():
    # The published p[X, Y] table of strongest paths; "the Schulze ranking is E > A > C > B > D".
    result = schulze(pairwise_from_ballots(ballots_from(WIKIPEDIA_45), "ABCDE"), "ABCDE")

    assert result.strongest_paths == matrix(
        [
            [0, 28, 28, 30, 24],
            [25, 0, 28, 33, 24],
            [25, 29, 0, 29, 24],
            [25, 28, 28, 0, 24],
            [25, 28, 28, 31, 0],
        ],
        "ABCDE",
    )
    assert result.order == (("E",), ("A",), ("C",), ("B",), ("D",))


# Electowiki (wiki.electorama.com), "Schulze method", Examples 2 to 4, written up by Markus
# Schulze from the examples in section 3 of his paper.
def test_electowiki_example_2_thirty_voters_orders_d_a_c_b():
    published = [
        (5, "ACBD"),
        (2, "ACDB"),
        (3, "ADCB"),
        (4, "BACD"),
        (3, "CBDA"),
        (3, "CDBA"),
        (1, "DACB"),
        (5, "DBAC"),
        (4, "DCBA"),
    ]

    result = schulze(pairwise_from_ballots(ballots_from(published), "ABCD"), "ABCD")

    assert result.strongest_paths == matrix(
        [[0, 20, 20, 17], [19, 0, 19, 17], [19, 21, 0, 17], [18, 18, 18, 0]], "ABCD"
    )
    assert result.order == (("D",), ("A",), ("C",), ("B",))


def test_electowiki_example_3_thirty_voters_five_candidates_orders_b_a_d_e_c():
    published = [
        (3, "ABDEC"),
        (5, "ADEBC"),
        (1, "ADECB"),
        (2, "BADEC"),
        (2, "BDECA"),
        (4, "CABDE"),
        (6, "CBADE"),
        (2, "DBECA"),
        (5, "DECAB"),
    ]

    result = schulze(pairwise_from_ballots(ballots_from(published), "ABCDE"), "ABCDE")

    assert result.strongest_paths == matrix(
        [
            [0, 18, 20, 21, 21],
            [19, 0, 19, 19, 19],
            [19, 18, 0, 19, 19],
            [19, 18, 20, 0, 30],
            [19, 18, 20, 19, 0],
        ],
        "ABCDE",
    )
    assert result.order == (("B",), ("A",), ("D",), ("E",), ("C",))


def test_electowiki_example_4_nine_voters_ties_b_with_d_and_a_with_c():
    # Published: B and D are both potential winners; the only strict results are B > C (7 > 5)
    # and D > A (6 > 5), so B and D share the first tier and A and C the second.
    published = [(3, "ABCD"), (2, "DABC"), (2, "DBCA"), (2, "CBDA")]

    result = schulze(pairwise_from_ballots(ballots_from(published), "ABCD"), "ABCD")

    assert result.strongest_paths == matrix(
        [[0, 5, 5, 5], [5, 0, 7, 5], [5, 5, 0, 5], [6, 5, 5, 0]], "ABCD"
    )
    assert result.order == (("B", "D"), ("A", "C"))


# --- Schulze: edge cases ---------------------------------------------------------------------


def test_condorcet_winner_comes_first():
    # b beats a 2-1 and c 3-0 head to head; a beats c 3-0.
    ballots = [ranked_all("bac"), ranked_all("bac"), ranked_all("abc")]

    result = schulze(pairwise_from_ballots(ballots, "abc"), "abc")

    assert result.order == (("b",), ("a",), ("c",))


def test_one_vote_each_way_is_one_tier_of_both():
    ballots = [ranked_all("ab"), ranked_all("ba")]

    result = schulze(pairwise_from_ballots(ballots, "ab"), "ab")

    assert result.order == (("a", "b"),)
    assert result.strongest_paths == {"a": {"b": 0}, "b": {"a": 0}}


def test_three_way_cycle_of_equal_strength_ties_all_three_in_the_given_order():
    # a > b, b > c and c > a, each by 2 votes to 1.
    ballots = [ranked_all("abc"), ranked_all("bca"), ranked_all("cab")]

    result = schulze(pairwise_from_ballots(ballots, "abc"), ["c", "a", "b"])

    assert result.order == (("c", "a", "b"),)
    assert all(
        strength == 2 for row in result.strongest_paths.values() for strength in row.values()
    )


def test_schulze_reports_a_tie_that_borda_separates():
    # libraries and roads are 2-2 head to head and neither has a path to the other.
    result = schulze(pairwise_from_ballots(TOP_TWO_BALLOTS, SERVICES), SERVICES)

    assert result.order == (("libraries", "roads"), ("parks",), ("bins",))


def test_missing_pairwise_entries_count_as_no_one():
    result = schulze({"a": {"b": 3}}, ["a", "b", "c"])

    assert result.order == (("a", "c"), ("b",))


def test_schulze_refuses_unknown_items_and_negative_counts():
    with pytest.raises(ValueError, match="unknown"):
        schulze({"a": {"z": 1}}, ["a", "b"])
    with pytest.raises(ValueError, match="negative"):
        schulze({"a": {"b": -1}}, ["a", "b"])


# --- Properties --------------------------------------------------------------------------------


@st.composite
def identical_ballots(draw):
    """Item ids, and a number of residents who all gave the same top-K (or full) ranking."""
    item_ids = draw(
        st.lists(st.text("abcdefgh", min_size=1, max_size=3), min_size=2, max_size=7, unique=True)
    )
    order = draw(st.permutations(item_ids))
    places = draw(st.integers(1, len(item_ids)))
    residents = draw(st.integers(1, 40))
    return item_ids, order[:places], residents


@given(identical_ballots())
def test_identical_ballots_give_that_order_in_schulze_and_borda(case):
    item_ids, ranked, residents = case
    ballots = [ranked_all(ranked)] * residents
    unranked = tuple(item_id for item_id in item_ids if item_id not in ranked)
    expected = tuple((item_id,) for item_id in ranked) + ((unranked,) if unranked else ())

    schulze_order = schulze(pairwise_from_ballots(ballots, item_ids), item_ids).order
    borda_order = borda(position_counts(ballots), item_ids, len(ranked), residents).order

    assert schulze_order == expected
    assert borda_order == expected


@st.composite
def top_k_ballots(draw):
    """Item ids, places K, and residents' answers to a 'rank your top K' (or all) question."""
    item_ids = draw(st.lists(st.sampled_from("abcdef"), min_size=2, max_size=6, unique=True))
    places = draw(st.integers(1, len(item_ids)))
    ballots = draw(
        st.lists(
            st.permutations(item_ids).map(lambda order: ranked_all(order[:places])), max_size=12
        )
    )
    return item_ids, places, ballots


@given(top_k_ballots())
def test_borda_points_are_the_pairwise_wins(case):
    item_ids, places, ballots = case
    pairwise = pairwise_from_ballots(ballots, item_ids)

    result = borda(position_counts(ballots), item_ids, places, len(ballots))

    assert {s.item_id: s.points for s in result.scores} == {
        a: sum(pairwise[a].values()) for a in item_ids
    }


@given(top_k_ballots())
def test_pairwise_from_counts_always_matches_pairwise_from_ballots(case):
    item_ids, _places, ballots = case

    from_counts = pairwise_from_counts(ranked_above(ballots), position_counts(ballots), item_ids)

    assert from_counts == pairwise_from_ballots(ballots, item_ids)


def widest_path_by_brute_force(pairwise, item_ids, start, end):
    """The strongest path's strength by trying every simple path (winning-votes links only)."""

    def link(a, b):
        return pairwise[a][b] if pairwise[a][b] > pairwise[b][a] else 0

    middles = [item_id for item_id in item_ids if item_id not in (start, end)]
    best = 0
    for length in range(len(middles) + 1):
        for middle in itertools.permutations(middles, length):
            path = (start, *middle, end)
            best = max(best, min(link(a, b) for a, b in itertools.pairwise(path)))
    return best


@st.composite
def pairwise_tables(draw):
    item_ids = list("abcde")[: draw(st.integers(2, 5))]
    return item_ids, {a: {b: draw(st.integers(0, 9)) for b in item_ids if b != a} for a in item_ids}


@given(pairwise_tables())
def test_strongest_paths_match_brute_force_and_no_later_tier_beats_an_earlier_one(case):
    item_ids, pairwise = case

    result = schulze(pairwise, item_ids)
    paths = result.strongest_paths

    assert paths == {
        a: {b: widest_path_by_brute_force(pairwise, item_ids, a, b) for b in item_ids if b != a}
        for a in item_ids
    }
    assert sorted(item_id for tier in result.order for item_id in tier) == sorted(item_ids)
    for index, tier in enumerate(result.order):
        for a in tier:
            not_beaten_by = [b for later in result.order[index:] for b in later if b != a]
            assert all(paths[b][a] <= paths[a][b] for b in not_beaten_by)
        if index:
            assert all(
                any(paths[b][a] > paths[a][b] for b in result.order[index - 1]) for a in tier
            )
