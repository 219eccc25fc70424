"""Results of a priority-ranking question, worked out from counts the database has aggregated.

Plain Python, no Django. A results page counts residents' ballots (`RankingBallot` rows) in
SQL — how many residents put each item at each position, and how many ranked one item above
another — and passes those counts here, so the work depends on the number of items, never on
the number of responses.
`pairwise_from_ballots` is the exception: it reads individual answers, for tests and small data.

A ballot is one resident's answer: positions 1..K, 1 the highest priority, for all N items
("rank all", K = N) or only their top K (the other N - K items unranked). Every figure is exact:
counts are ints, means and shares `Fraction`s; rounding is left to display code.
"""

from dataclasses import dataclass
from fractions import Fraction
from itertools import groupby
from types import MappingProxyType


@dataclass(frozen=True)
class BordaScore:
    """One item's Borda points and how residents placed it."""

    item_id: str
    points: int
    ranked_by: int  # residents who gave the item a position
    mean_rank: Fraction | None  # mean position among those residents; None if nobody ranked it
    first_choices: int
    share_first: Fraction | None  # first_choices / responses; None when nobody answered


@dataclass(frozen=True)
class BordaResult:
    places: int  # positions each resident fills: K for "rank your top K", N for "rank all"
    responses: int  # residents who answered the question
    scores: tuple  # BordaScore per item, in the order of the item ids given

    @property
    def order(self):
        """Item ids by points, most first, as tiers: items with equal points share a tier."""
        ranked = sorted(self.scores, key=lambda score: -score.points)  # stable: keeps item order
        return tuple(
            tuple(score.item_id for score in tier)
            for _, tier in groupby(ranked, key=lambda score: score.points)
        )


@dataclass(frozen=True)
class SchulzeResult:
    """The Schulze order as tiers (best first; a tier's items are tied), and its path strengths.

    `strongest_paths[a][b]` is the strength of the strongest path from a to b (0: no path).
    """

    order: tuple
    strongest_paths: MappingProxyType


def borda(position_counts, item_ids, places, responses):
    """Borda points, mean rank and share ranked first, from (item_id, position) -> count.

    Convention, the same for "rank all" and "rank your top K": an item at position p earns
    N - p points (N = number of items) and an unranked item earns 0. So each resident gives an
    item one point per item they placed below it, counting unranked items as below every ranked
    one: a full ballot gives N-1, N-2, ..., 0, and a top-K ballot N-1, ..., N-K, then 0 for the
    rest. This is the usual Borda count for truncated ballots (unranked items score nothing);
    it is fair here because the form makes every resident fill the same K places. An item's
    points are therefore the sum of its row of `pairwise_from_ballots`, and they need only the
    position counts, not each ballot's length, so answers given before an officer changed the
    question's top K still score correctly (positions above `places` are accepted).
    The 'modified Borda count' (K - p + 1 points) and the 'averaged' rule (unranked items share
    the points left over) were not chosen: both need every ballot's length.

    Mean rank is over the residents who ranked the item; share first is over all `responses`.
    """
    items = _distinct(item_ids)
    count_of_items = len(items)
    if not 1 <= places <= count_of_items:
        raise ValueError(f"places must be from 1 to {count_of_items}, not {places}")
    if responses < 0:
        raise ValueError("responses cannot be negative")
    points = dict.fromkeys(items, 0)
    ranked_by = dict.fromkeys(items, 0)
    position_sum = dict.fromkeys(items, 0)
    first_choices = dict.fromkeys(items, 0)
    per_position = {}
    for (item_id, position), count in position_counts.items():
        if item_id not in points:
            raise ValueError(f"Position counts name an unknown item {item_id!r}")
        if not 1 <= position <= count_of_items:
            raise ValueError(f"Position {position} is impossible with {count_of_items} items")
        if count < 0:
            raise ValueError("Counts cannot be negative")
        points[item_id] += (count_of_items - position) * count
        ranked_by[item_id] += count
        position_sum[item_id] += position * count
        per_position[position] = per_position.get(position, 0) + count
        if position == 1:
            first_choices[item_id] += count
    if max([*ranked_by.values(), *per_position.values()]) > responses:
        raise ValueError(f"The counts describe more than the {responses} responses given")
    return BordaResult(
        places=places,
        responses=responses,
        scores=tuple(
            BordaScore(
                item_id=item_id,
                points=points[item_id],
                ranked_by=ranked_by[item_id],
                mean_rank=(
                    Fraction(position_sum[item_id], ranked_by[item_id])
                    if ranked_by[item_id]
                    else None
                ),
                first_choices=first_choices[item_id],
                share_first=Fraction(first_choices[item_id], responses) if responses else None,
            )
            for item_id in items
        ),
    )


def pairwise_from_ballots(ballots, item_ids):
    """pairwise[a][b]: residents preferring a to b, from ballots ({item_id: position}).

    A resident prefers a to b if they ranked a above b, or ranked a and left b unranked; two
    unranked items are no preference either way. For tests and small data: the results page
    counts the same thing in SQL (see `pairwise_from_counts`).
    """
    items = _distinct(item_ids)
    known = set(items)
    pairwise = {a: {b: 0 for b in items if b != a} for a in items}
    for ballot in ballots:
        unknown = set(ballot) - known
        if unknown:
            raise ValueError(f"A ballot ranks unknown items {sorted(unknown)!r}")
        positions = list(ballot.values())
        if len(set(positions)) != len(positions) or min(positions, default=1) < 1:
            raise ValueError(f"A ballot's positions must be distinct and from 1: {ballot!r}")
        for a, position_a in ballot.items():
            for b in pairwise[a]:
                position_b = ballot.get(b)
                if position_b is None or position_a < position_b:
                    pairwise[a][b] += 1
    return pairwise


def pairwise_from_counts(ranked_above, position_counts, item_ids):
    """pairwise[a][b] from SQL-sized counts: (a, b) -> residents who ranked a above b.

    Residents who ranked a prefer a to b unless they ranked b above it (b unranked counts for a),
    so pairwise[a][b] = residents ranking a - ranked_above[(b, a)]: comparing two items' places
    on each ballot gives `ranked_above`, and no query needs unranked items.
    """
    items = _distinct(item_ids)
    ranked_by = dict.fromkeys(items, 0)
    for (item_id, _position), count in position_counts.items():
        if item_id not in ranked_by:
            raise ValueError(f"Position counts name an unknown item {item_id!r}")
        ranked_by[item_id] += count
    for a, b in ranked_above:
        if a not in ranked_by or b not in ranked_by or a == b:
            raise ValueError(f"ranked_above names an impossible pair {(a, b)!r}")
    pairwise = {}
    for a in items:
        pairwise[a] = {}
        for b in items:
            if b == a:
                continue
            preferred = ranked_by[a] - ranked_above.get((b, a), 0)
            if preferred < 0:
                raise ValueError(f"More residents put {b!r} above {a!r} than ranked {a!r}")
            pairwise[a][b] = preferred
    return pairwise


def schulze(pairwise, item_ids):
    """The Schulze method on pairwise[a][b] (residents preferring a to b; missing means 0).

    A link a -> b has strength pairwise[a][b] when more residents prefer a to b than b to a
    (winning votes); a path is as strong as its weakest link, and the strongest paths come from
    the widest-path variant of Floyd–Warshall. a beats b when p[a][b] > p[b][a], a transitive
    relation (Schulze 2011). Each tier is the items no remaining item beats; ties stay ties,
    listed in the order of item_ids.
    """
    items = _distinct(item_ids)
    known = set(items)
    for a, row in pairwise.items():
        for b, count in row.items():
            if a not in known or b not in known:
                raise ValueError(f"pairwise names an unknown item in {(a, b)!r}")
            if count < 0:
                raise ValueError("Counts cannot be negative")

    def preferring(a, b):
        return pairwise.get(a, {}).get(b, 0)

    strongest = {
        a: {b: preferring(a, b) if preferring(a, b) > preferring(b, a) else 0 for b in items}
        for a in items
    }
    for via in items:
        for start in items:
            into_via = strongest[start][via]
            if start == via or not into_via:
                continue
            for end in items:
                if end in (start, via):
                    continue
                through = min(into_via, strongest[via][end])
                if through > strongest[start][end]:
                    strongest[start][end] = through
    for item_id in items:
        del strongest[item_id][item_id]

    def beats(a, b):
        return strongest[a][b] > strongest[b][a]

    order = []
    remaining = list(items)
    while remaining:
        tier = tuple(a for a in remaining if not any(beats(b, a) for b in remaining if b != a))
        order.append(tier)
        remaining = [item_id for item_id in remaining if item_id not in tier]
    return SchulzeResult(
        order=tuple(order),
        strongest_paths=MappingProxyType(
            {a: MappingProxyType(row) for a, row in strongest.items()}
        ),
    )


def _distinct(item_ids):
    items = tuple(item_ids)
    if len(set(items)) != len(items):
        raise ValueError("Each item id must be given once")
    return items
