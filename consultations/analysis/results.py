"""A consultation's results as one plain, JSON-able dictionary: the contract of decision 0004.

The admin dashboard, the public outcome page and the open data API all read this dictionary,
so the same numbers appear everywhere. It is built from grouped SQL counts (a handful of queries,
and one more per ranking question, whatever the number of responses) and cached under a
fingerprint of the responses, comments and themes, so a new response, an import, a moderation
decision or a new tag gives a new key and a stale result is never served. It holds counts only:
never personal data, never text a resident wrote. Counts that could identify someone (an area,
an "about you" answer) are hidden below `SMALLEST_CELL`, in one pass over every table published
together (consultations.analysis.disclosure, decision 0005).
"""

import functools
import hashlib
import json
import zoneinfo
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Max, Q, TextField, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncDate
from django.utils.module_loading import import_string

from consultations.analysis.disclosure import SMALLEST_CELL, Disclosure
from consultations.analysis.statistics import median
from consultations.journey import sections_of
from consultations.models import (
    PUBLISHABLE,
    Answer,
    Channel,
    Comment,
    CommentTheme,
    ConsultationPage,
    ModerationStatus,
    RankingBallot,
    RankingPosition,
    Response,
    Theme,
)
from consultations.question_types.base import OTHER, PREFER_NOT_TO_SAY
from consultations.ranking import borda, pairwise_from_counts, schulze

# Bump when the dictionary's shape changes, so no cached result of the old shape is served.
# (2: small numbers hidden in one pass over every table, decision 0005.)
RESULTS_VERSION = 2
# Changes the fingerprint cannot see (a budget line renamed) show within a day.
CACHE_SECONDS = 24 * 60 * 60

AREA_PART = "ward"
NOT_ANSWERED = "not_answered"
LABELS = {PREFER_NOT_TO_SAY: "Prefer not to say", OTHER: "Other", NOT_ANSWERED: "Did not say"}


# Rounding and small numbers ------------------------------------------------------------------


def percent(count, total):
    """`count` as a percentage of `total`, a float to one decimal place; None without a total."""
    if count is None or not total:
        return None
    exact = Decimal(count * 100) / Decimal(total)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def decimal_float(value, places):
    """An exact number (Fraction or Decimal) as a float rounded to `places`, halves up."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP))


def counted(key, label, count, total):
    return {"key": key, "label": label, "count": count, "percent": percent(count, total)}


def shown_or_hidden(key, label, cell, values, hidden, total, total_cell=None):
    """A result row for a sensitive cell: its count, or nulls and `suppressed` when hidden.

    The percent is left out (null) when the total it is a share of is hidden, as count and
    percent together would give the total away.
    """
    if cell in hidden:
        return {**counted(key, label, None, total), "suppressed": True}
    base = None if total_cell in hidden else total
    return {**counted(key, label, values[cell], base), "suppressed": False}


# Every count the results dictionary publishes about groups of residents is a cell of one
# Disclosure: "about you" answers (the area answer's counts are by_area's too, the same cells),
# who answered each part, and who did not say their area.
RESPONSES = ("responses",)


def option_cell(question_id, part, option):
    return ("option", question_id, part, option)


def answered_cell(question_id, part):
    return ("answered", question_id, part)


def did_not_say_cell(question_id, part):
    return ("did_not_say", question_id, part)


def residents_cell(question_id):
    return ("residents", question_id)


def about_you_disclosure(about_you_questions, answers, total, area):
    """The Disclosure of every "about you" count in the results (see decision 0005).

    `area` is the question whose ward part gives responses by area: its "did not say" count
    is published there; for the other parts it is only implied (the total minus who answered).
    """
    model = Disclosure()
    model.cell(RESPONSES, total, always_shown=True)
    for question in about_you_questions:
        # Residents who gave any "about you" answer: shown unless it would give a hidden
        # count away (where everyone, or nobody, answered).
        residents = model.cell(residents_cell(question.id), answers.residents.get(question.id, 0))
        model.at_most(residents, RESPONSES, ("slack", question.id, "residents"))
        for part, _text, choices, multiple in question.block.parts(question.value):
            counts = answers.options(question.id, part)
            offered = [key for key, _label in [*choices, (PREFER_NOT_TO_SAY, "")]]
            options = [
                model.cell(option_cell(question.id, part, key), counts.get(key, 0), sensitive=True)
                for key in offered
            ]
            # Answers to options no longer offered are counted but not published; taken as
            # known, to be safe.
            removed = model.cell(
                ("removed", question.id, part),
                sum(count for key, count in counts.items() if key not in offered),
                taken_as_known=True,
            )
            answered = model.cell(
                answered_cell(question.id, part),
                answers.part_answered(question.id, part),
                sensitive=True,
            )
            said = question is area and part == AREA_PART
            did_not_say = model.cell(
                did_not_say_cell(question.id, part),
                total - model.values[answered],
                sensitive=said,
                unpublished=not said,
            )
            model.total([answered, did_not_say], RESPONSES)
            model.at_most(answered, residents, ("slack", question.id, part, "residents"))
            if multiple:
                # "Prefer not to say" stands alone; the other options count residents who chose
                # each: no more than chose any, and together at least as many.
                *chosen, prefer_not = options
                any_option = model.cell(
                    ("any option", question.id, part),
                    model.values[answered] - model.values[prefer_not],
                    unpublished=True,
                )
                model.total([prefer_not, any_option], answered)
                for option in chosen:
                    model.at_most(option, any_option, ("slack", *option))
                several = model.cell(
                    ("several", question.id, part),
                    sum(model.values[option] for option in chosen)
                    + model.values[removed]
                    - model.values[any_option],
                    unpublished=True,
                )
                model.equation(
                    {**dict.fromkeys([*chosen, removed], 1), any_option: -1, several: -1}
                )
            else:
                model.total([*options, removed], answered)
    return model


# The cache ---------------------------------------------------------------------------------


def fingerprint(consultation):
    """Cheap aggregates that change whenever anything counted in the results changes.

    Counts and largest ids catch rows added or deleted (imports use bulk_create, which sends no
    signals); the latest timestamps catch a changed response, a moderation decision or a renamed
    theme. The question structure is hashed too, so rewording shows at once.
    """
    responses = Response.objects.filter(consultation=consultation).aggregate(
        count=Count("id"),
        last_id=Max("id"),
        last_submitted=Max("submitted_at"),
        last_updated=Max("updated_at"),
    )
    comments = Comment.objects.filter(consultation=consultation).aggregate(
        count=Count("id"), last_id=Max("id"), last_updated=Max("updated_at")
    )
    themes = Theme.objects.filter(consultation=consultation).aggregate(
        count=Count("id"), last_id=Max("id"), last_updated=Max("updated_at")
    )
    tags = CommentTheme.objects.filter(theme__consultation=consultation).aggregate(
        count=Count("id"), last_id=Max("id")
    )
    structure = [
        consultation.pk,
        consultation.slug,
        consultation.title,
        consultation.opens_at,
        consultation.closes_at,
        list(consultation.questions.raw_data),
    ]
    text = json.dumps([responses, comments, themes, tags, structure], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cache_key(consultation, *extra):
    parts = [f"consultation-results:v{RESULTS_VERSION}", str(consultation.pk), *extra]
    return ":".join([*parts, fingerprint(consultation)])


def cached(key, build):
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, CACHE_SECONDS)
    return found


def consultation_results(consultation):
    """The results dictionary (decision 0004), from the cache while nothing has changed."""
    return cached(cache_key(consultation), lambda: build_results(consultation))


# Building the dictionary -------------------------------------------------------------------


def site_timezone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def all_questions(consultation):
    """(section title, journey.Question) for every question, in the order residents meet them."""
    return [
        (section.title, question)
        for section in sections_of(consultation)
        for question in section.questions
    ]


def area_question(questions):
    """The "about you" question whose ward answer gives a response's area (the first one)."""
    return next(
        (question for _title, question in questions if question.block.about_the_resident), None
    )


def build_results(consultation):
    """The results dictionary, counted afresh (see `consultation_results`)."""
    with analytical_queries():
        questions = all_questions(consultation)
        scope = Scope(consultation, [question for _title, question in questions])
        answers = AnswerCounts(scope, [question for _title, question in questions])
        channels, per_day = response_counts(consultation)
        total = sum(channels.values())
        area = area_question(questions)
        about_you = [
            question for _title, question in questions if question.block.about_the_resident
        ]
        model = about_you_disclosure(about_you, answers, total, area)
        small = Small(model.values, model.hidden())
        return {
            "consultation": {
                "id": consultation.pk,
                "slug": consultation.slug,
                "title": consultation.title,
                "opens_at": consultation.opens_at.isoformat(),
                "closes_at": consultation.closes_at.isoformat(),
            },
            "smallest_cell": SMALLEST_CELL,
            "responses": {
                "total": total,
                "by_channel": [
                    counted(key, label, channels.get(key, 0), total)
                    for key, label in Channel.choices
                ],
                "by_area": by_area(area, small, total),
                "over_time": over_time(per_day),
            },
            "questions": [
                question_results(scope, section, question, answers, small)
                for section, question in questions
            ],
        }


# PostgreSQL settings for the results transaction only, restored after it. JIT compilation costs
# more than it saves on these few large aggregates. The largest hash tables (a ranking's positions
# per response, 100,000 groups) need some 30 MB; with the default 4 MB the planner sorts instead.
# (Migration 0007's statistics tell it how few groups the answer counts make.) Measured in
# docs/performance.md.
POSTGRESQL_SETTINGS = {"jit": "off", "work_mem": "64MB"}


@contextmanager
def analytical_queries():
    """Run the results queries in one transaction, with POSTGRESQL_SETTINGS on PostgreSQL."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            previous = {}
            for name, value in POSTGRESQL_SETTINGS.items():
                cursor.execute(
                    "SELECT current_setting(%s), set_config(%s, %s, true)", [name, name, value]
                )
                previous[name] = cursor.fetchone()[0]
        yield
        # Only needed inside a caller's transaction: a rollback undoes the settings by itself.
        with connection.cursor() as cursor:
            for name, value in previous.items():
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


class Scope:
    """The consultation's Answer and RankingPosition rows for some questions.

    Rows are found by question id alone (an index lookup, no join) unless another consultation
    shares a question id, as a copied page does: then each row's response is checked too.
    """

    def __init__(self, consultation, questions):
        self.consultation = consultation
        ids = [question.id for question in questions]
        stored = ConsultationPage.objects.exclude(pk=consultation.pk).annotate(
            stored=Cast("questions", TextField())
        )
        mentions = Q()
        for question_id in ids:
            mentions |= Q(stored__contains=question_id)
        self.shared = bool(ids) and stored.filter(mentions).exists()

    def rows(self, model, question_ids):
        rows = model.objects.filter(question_id__in=list(question_ids))
        if self.shared:
            rows = rows.filter(response__consultation=self.consultation)
        return rows


class Small:
    """The true counts of the sensitive cells and which of them are hidden."""

    def __init__(self, values, hidden):
        self.values = values
        self.hidden = frozenset(hidden)

    def row(self, key, label, cell, total, total_cell=None):
        return shown_or_hidden(key, label, cell, self.values, self.hidden, total, total_cell)


def by_area(about_you, small, total):
    """Responses by the area residents said they live in, and those who did not say: the same
    cells as the area answer's "about you" counts, so hidden in both or shown in both."""
    if about_you is None:
        return []
    rows = [
        small.row(key, label, option_cell(about_you.id, AREA_PART, key), total)
        for key, label in part_choices(about_you, AREA_PART)
    ]
    rows.append(
        small.row(
            NOT_ANSWERED, LABELS[NOT_ANSWERED], did_not_say_cell(about_you.id, AREA_PART), total
        )
    )
    return rows


def response_counts(consultation):
    """Responses by channel and by day (in the council's time zone), from one grouped query."""
    channels, per_day = defaultdict(int), defaultdict(int)
    grouped = (
        Response.objects.filter(consultation=consultation)
        .annotate(day=TruncDate("submitted_at", tzinfo=site_timezone()))
        .values_list("channel", "day")
        .annotate(count=Count("*"))
        .order_by()
    )
    for channel, day, count in grouped:
        channels[channel] += count
        per_day[day] += count
    return channels, per_day


def over_time(per_day):
    """Responses per day, every day from the first to the last."""
    if not per_day:
        return []
    day, last = min(per_day), max(per_day)
    series, cumulative = [], 0
    while day <= last:
        cumulative += per_day.get(day, 0)
        series.append(
            {"date": day.isoformat(), "count": per_day.get(day, 0), "cumulative": cumulative}
        )
        day += timedelta(days=1)
    return series


# Question types whose answers are counted from Answer rows: those stored as one row per chosen
# option with no part (counted by question and option alone), and the others; and those where
# one resident's answer is several rows (so residents are counted separately from rows).
SAVINGS_FOUND = "savings_found"


class AnswerCounts:
    """Every count the results need from Answer rows, in three queries for all the questions.

    Choice and free-text answers are one row per option with no part, so they are counted by
    question and option from the (question_id, option) index alone, never reading the table. The
    other answers are counted in one pass over the table by question, part, option and number (a
    simulator's savings, different for nearly every resident and not part of the results, count
    as one group). The third query counts residents, not rows, where one answer is several rows
    (a multiple choice, "about you"): rows per response, then the responses with any.
    """

    def __init__(self, scope, questions):
        self.by_option = defaultdict(dict)  # (question, part) -> {option: rows}
        self.numbers = defaultdict(dict)  # (question, part, option) -> {number: rows}
        self.row_counts = defaultdict(int)  # (question, part) -> rows
        by_option = [question.id for question in questions if question.block.counted_by == "option"]
        if by_option:
            grouped = (
                scope.rows(Answer, by_option)
                .values_list("question_id", "option")
                .annotate(count=Count("*"))
                .order_by()
            )
            self.add(
                (question_id, "", option, None, count) for question_id, option, count in grouped
            )
        # Most rows per answer first: PostgreSQL tests a row's question id against an IN list in
        # order, so most rows match the first value (a simulator writes one row per lever).
        by_part = [
            question.id
            for question in sorted(questions, key=lambda q: -q.block.typical_rows)
            if question.block.counted_by == "part"
        ]
        if by_part:
            level = Case(
                When(part=SAVINGS_FOUND, then=Value(None)),
                default=F("number"),
                output_field=Answer._meta.get_field("number"),
            )
            self.add(
                scope.rows(Answer, by_part)
                .annotate(level=level)
                .values_list("question_id", "part", "option", "level")
                .annotate(count=Count("*"))
                .order_by()
            )
        self.residents = self.count_residents(scope, questions)

    def add(self, grouped):
        for question_id, part, option, number, count in grouped:
            self.row_counts[question_id, part] += count
            if option:
                options = self.by_option[question_id, part]
                options[option] = options.get(option, 0) + count
            if number is not None:
                numbers = self.numbers[question_id, part, option]
                numbers[number] = numbers.get(number, 0) + count

    @staticmethod
    def count_residents(scope, questions):
        """{question id or (question id, part): residents} where answers are several rows.

        Rows are grouped by question and response, the order of the (question_id, response, part)
        index, so PostgreSQL counts them from the index without sorting or hashing: a resident is
        one group, and a multiple "about you" part is answered where its rows in the group are.
        """
        several = [question for question in questions if question.block.several_rows]
        parts = {}
        for question in several:
            for part in question.block.multiple_parts(question.value):
                parts[question.id, part] = f"part{len(parts)}"
        if not several:
            return {}
        # Counting `part` (never null), not `id`, keeps the count to the index's columns.
        per_response = (
            scope.rows(Answer, [question.id for question in several])
            .values("question_id", "response_id")
            .annotate(
                **{
                    f"rows_{name}": Count("part", filter=Q(question_id=question_id, part=part))
                    for (question_id, part), name in parts.items()
                }
            )
            .order_by()
        )
        sql, params = per_response.query.sql_with_params()
        quote = connection.ops.quote_name
        counts = ["COUNT(*)"] + [
            f"COUNT(*) FILTER (WHERE {quote(f'rows_{name}')} > 0)" for name in parts.values()
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('question_id')}, {', '.join(counts)} "  # noqa: S608
                f"FROM ({sql}) AS per_response GROUP BY {quote('question_id')}",
                params,
            )
            found = {question_id: numbers for question_id, *numbers in cursor.fetchall()}
        nobody = [0] * (1 + len(parts))
        residents = {question.id: found.get(question.id, nobody)[0] for question in several}
        for index, (question_id, part) in enumerate(parts, start=1):
            residents[question_id, part] = found.get(question_id, nobody)[index]
        return residents

    def options(self, question_id, part=""):
        return self.by_option.get((question_id, part), {})

    def part_answered(self, question_id, part):
        """Residents who answered one part of "about you" (one row each, unless it is multiple)."""
        if (question_id, part) in self.residents:
            return self.residents[question_id, part]
        return sum(self.options(question_id, part).values())


def question_results(scope, section, question, answers, small):
    base = {"id": question.id, "type": question.type, "question": question.text, "section": section}
    if question.block.results_builder is None:
        return {**base, "answered": 0}
    build = results_builder(question.block.results_builder)
    return {**base, **build(scope, question, answers, small)}


@functools.cache
def results_builder(path):
    """The function a question type names to build its results (looked up once)."""
    return import_string(path)


def question_options(question):
    """(key, label) for each answer a choice question offers, "Other" last where allowed."""
    return question.block.offered_answers(question.value)


def choice_results(scope, question, answers, small):
    counts = answers.options(question.id)
    offered = question_options(question)
    known = {key for key, _label in offered}
    offered += [(key, "Removed option") for key in sorted(counts) if key not in known]
    if question.block.several_rows:
        answered = answers.residents.get(question.id, 0)
    else:
        answered = sum(counts.values())
    found = {
        "answered": answered,
        "options": [counted(key, label, counts.get(key, 0), answered) for key, label in offered],
    }
    if question.block.several_rows:
        found["multiple"] = True
    return found


# Counts per query: PostgreSQL allows 1,664 columns in a select list, and a ranking of N items
# needs N * (2N - 1) + 1 counts (1,000 is enough for a ranking of 22 items in one query).
MOST_COUNTS_PER_QUERY = 1000


def ranking_counts(scope, question_id, keys):
    """Residents who answered, (item, position) -> residents, and (above, below) -> residents
    who ranked both, one above the other, in one pass over the ballots.

    Each resident's ballot (RankingBallot) gives a column per item; identical ballots are counted
    together, so the counts of places and pairs, N * (2N - 1) of them, are made once per
    different ballot rather than once per resident. Items no longer offered, and positions past
    the list, are not counted.
    """
    columns = [f"item{index}" for index in range(len(keys))]
    per_ballot = (
        scope.rows(RankingBallot, [question_id])
        .values(
            **{
                column: Cast(KT(f"positions__{key}"), IntegerField())
                for column, key in zip(columns, keys, strict=True)
            }
        )
        .annotate(residents=Count("*"))
        .values_list(*columns, "residents")
        .order_by()
    )
    ballots_sql, params = per_ballot.query.sql_with_params()
    name = {column: connection.ops.quote_name(column) for column in columns}
    places = range(1, len(keys) + 1)
    wanted = {("answered",): "SUM(residents)"}
    for column, key in zip(columns, keys, strict=True):
        for place in places:
            wanted[key, place] = f"SUM(residents) FILTER (WHERE {name[column]} = {place})"
    for above, above_key in zip(columns, keys, strict=True):
        for below, below_key in zip(columns, keys, strict=True):
            if above != below:
                wanted[above_key, below_key] = (
                    f"SUM(residents) FILTER (WHERE {name[above]} < {name[below]})"
                )
    found = {}
    names = list(wanted)
    with connection.cursor() as cursor:
        for start in range(0, len(names), MOST_COUNTS_PER_QUERY):
            chunk = names[start : start + MOST_COUNTS_PER_QUERY]
            cursor.execute(
                f"SELECT {', '.join(wanted[count] for count in chunk)} "  # noqa: S608
                f"FROM ({ballots_sql}) AS ballot",
                params,
            )
            # Sums of bigints are numeric in PostgreSQL; a sum over no ballots is NULL.
            found |= {
                count: int(value or 0)
                for count, value in zip(chunk, cursor.fetchone(), strict=True)
            }
    position_counts = {
        (key, place): found[key, place] for key in keys for place in places if found[key, place]
    }
    ranked_above = {
        (above, below): found[above, below]
        for above in keys
        for below in keys
        if above != below and found[above, below]
    }
    return found["answered",], position_counts, ranked_above


def ranking_results(scope, question, answers, small):
    items = [
        (key, value["label"]) for key, value in question.block.options_with_ids(question.value)
    ]
    keys = [key for key, _label in items]
    answered, position_counts, ranked_above = ranking_counts(scope, question.id, keys)
    places = min(question.block.places_to_fill(question.value), len(keys))
    scores = borda(position_counts, keys, places, answered)
    pairwise = pairwise_from_counts(ranked_above, position_counts, keys)
    labels = dict(items)
    return {
        "answered": answered,
        "places": places,
        "items": [
            {
                "key": score.item_id,
                "label": labels[score.item_id],
                "points": score.points,
                "mean_rank": decimal_float(score.mean_rank, 2),
                "first_choices": score.first_choices,
                "share_first": percent(score.first_choices, answered),
                "ranked_by": score.ranked_by,
            }
            for score in scores.scores
        ],
        "borda_order": [list(tier) for tier in scores.order],
        "schulze_order": [list(tier) for tier in schulze(pairwise, keys).order],
        "pairwise": {
            "keys": keys,
            "matrix": [[None if a == b else pairwise[a][b] for b in keys] for a in keys],
        },
    }


def number_results(scope, question, answers, small):
    counts = answers.numbers.get((question.id, "", ""), {})
    total = sum(counts.values())
    if not total:
        return {"answered": 0, "count": 0, "mean": None, "median": None, "min": None, "max": None}
    mean = sum(value * count for value, count in counts.items()) / total
    return {
        "answered": total,
        "count": total,
        "mean": decimal_float(mean, 2),
        "median": decimal_float(median(counts), 2),
        "min": decimal_float(min(counts), 2),
        "max": decimal_float(max(counts), 2),
    }


def free_text_results(scope, question, answers, small):
    consultation = scope.consultation
    statuses = dict(
        Comment.objects.filter(consultation=consultation, question_id=question.id)
        .values_list("status")
        .annotate(count=Count("id"))
        .order_by()
    )
    themes = (
        CommentTheme.objects.filter(
            theme__consultation=consultation,
            comment__consultation=consultation,
            comment__question_id=question.id,
            comment__status__in=PUBLISHABLE,
        )
        .values_list("theme__name")
        # A comment is tagged once per theme and a theme's name is unique in its consultation.
        .annotate(count=Count("comment_id"))
        .order_by()
    )
    return {
        "answered": answers.row_counts.get((question.id, ""), 0),
        "comments": {
            "total": sum(statuses.values()),
            "published": sum(statuses.get(status, 0) for status in PUBLISHABLE),
            "pending": statuses.get(ModerationStatus.PENDING, 0),
            "rejected": statuses.get(ModerationStatus.REJECTED, 0),
        },
        "themes": [
            {"name": name, "count": count}
            for name, count in sorted(themes, key=lambda pair: (-pair[1], pair[0]))
        ],
    }


def part_choices(question, wanted):
    """(key, label) for each answer one part of an "about you" question offers."""
    for part, _text, choices, _multiple in question.block.parts(question.value):
        if part == wanted:
            return [*choices, (PREFER_NOT_TO_SAY, LABELS[PREFER_NOT_TO_SAY])]
    return []


def about_you_results(scope, question, answers, small):
    parts = []
    for part, text, choices, _multiple in question.block.parts(question.value):
        answered = answered_cell(question.id, part)
        total = small.values[answered]
        offered = [*choices, (PREFER_NOT_TO_SAY, LABELS[PREFER_NOT_TO_SAY])]
        parts.append(
            {
                "key": part,
                "question": text,
                "answered": None if answered in small.hidden else total,
                "options": [
                    small.row(key, label, option_cell(question.id, part, key), total, answered)
                    for key, label in offered
                ],
            }
        )
    residents = residents_cell(question.id)
    return {
        "answered": None if residents in small.hidden else small.values[residents],
        "parts": parts,
    }


# Breakdowns -----------------------------------------------------------------------------------


def breakdown_choices(consultation):
    """(value, label) for each way a question can be broken down: by area and by each other
    "about you" answer."""
    about_you = area_question(all_questions(consultation))
    if about_you is None:
        return []
    found = []
    for part, text, _choices, _multiple in about_you.block.parts(about_you.value):
        if part == AREA_PART:
            found.insert(0, ("area", "Area"))
        else:
            found.append((f"about_you:{part}", text))
    return found


def question_breakdown(consultation, question_id, by):
    """A question's answers cross-tabulated by area or by an "about you" answer (cached).

    `by` is "area" or "about_you:<part>" (age_band, connection, sex, disability, ethnicity...).
    Rows are the question's options (for a ranking: each item, counting residents who ranked it
    first); columns are the groups. Cells and groups' totals counting 1 to SMALLEST_CELL - 1 are
    hidden, with whatever else is needed so that no hidden count, here or in the results
    dictionary, can be worked out from this table and the dictionary together (decision 0005).
    Raises ValueError for a question or grouping it cannot break down.
    """

    def build():
        with analytical_queries():
            return build_breakdown(consultation, question_id, by)

    return cached(cache_key(consultation, "breakdown", question_id, by), build)


def build_breakdown(consultation, question_id, by):
    questions = all_questions(consultation)
    question = next((q for _section, q in questions if q.id == question_id), None)
    if question is None or question.block.breakdown is None:
        raise ValueError("Only choice, agreement and ranking questions can be broken down")
    about_you = area_question(questions)
    if by == "area":
        part = AREA_PART
    elif by.startswith("about_you:"):
        part = by.removeprefix("about_you:")
    else:
        part = None
    groups = part_choices(about_you, part) if about_you and part else []
    if not groups:
        raise ValueError(f"Cannot break answers down by {by!r}")
    in_group = {
        "response__answers__question_id": about_you.id,
        "response__answers__part": part,
    }
    group_field = "response__answers__option"
    # Each (response, answer, group) is one joined row, so cells count rows. A group's total
    # counts residents: one row each, but for a multiple choice (several rows per resident), and
    # for a ranking the row of its first place (every ballot has one).
    first_places = question.block.breakdown == "first places"
    if first_places:
        rows = [
            (key, value["label"]) for key, value in question.block.options_with_ids(question.value)
        ]
        asked = RankingPosition.objects.filter(
            response__consultation=consultation, question_id=question_id, position=1, **in_group
        )
        cells = asked.values_list("item_id", group_field)
        measure = "Residents who ranked each first"
    else:
        rows = question_options(question)
        asked = Answer.objects.filter(
            response__consultation=consultation, question_id=question_id, **in_group
        ).exclude(option="")
        cells = asked.values_list("option", group_field)
        measure = "Residents who chose each answer"
    residents = Count("response_id", distinct=True) if question.block.several_rows else Count("id")
    counts = {
        (row, group): count for row, group, count in cells.annotate(count=Count("id")).order_by()
    }
    answered = dict(asked.values_list(group_field).annotate(count=residents).order_by())
    table = [[counts.get((row, group), 0) for group, _label in groups] for row, _label in rows]
    totals = [answered.get(group, 0) for group, _label in groups]
    scope = Scope(consultation, [q for _section, q in questions])
    about_you_questions = [q for _section, q in questions if q.block.about_the_resident]
    answers = AnswerCounts(scope, [*about_you_questions, question])
    if first_places:
        everyone = dict(
            scope.rows(RankingPosition, [question.id])
            .filter(position=1)
            .values_list("item_id")
            .annotate(count=Count("*"))
            .order_by()
        )
    else:
        everyone = answers.options(question.id)
    published = Published(
        about_you_questions,
        answers,
        Response.objects.filter(consultation=consultation).count(),
        area_question(questions),
    )
    return {
        "question": {"id": question.id, "type": question.type, "question": question.text},
        "by": by,
        "by_label": dict(breakdown_choices(consultation)).get(by, by),
        "measure": measure,
        "smallest_cell": SMALLEST_CELL,
        **breakdown_cells(
            published,
            Crosstab(
                question.id,
                question.block.several_rows,
                about_you,
                part,
                rows,
                groups,
                table,
                totals,
                everyone,
                answers.residents[question.id]
                if question.block.several_rows
                else sum(everyone.values()),
            ),
        ),
    }


@dataclass(frozen=True)
class Published:
    """What the results dictionary publishes about groups of residents, as plain counts."""

    about_you: list  # the "about you" questions (journey.Question)
    answers: object  # their AnswerCounts
    total: int  # responses
    area: object  # the "about you" question giving responses by area, or None


@dataclass(frozen=True)
class Crosstab:
    """One breakdown's counts: `table[row][group]` and each group's residents who answered."""

    question_id: str
    several_rows: bool  # a multiple choice: a resident can be in several rows
    about_you: object
    part: str
    rows: list  # (key, label)
    groups: list  # (key, label)
    table: list
    totals: list
    everyone: dict  # {row key: residents who chose it, in any group or none}
    answered: int  # residents who answered the question


def breakdown_cells(published, crosstab):
    """The breakdown's groups and rows, hiding what decision 0005 says, given the dictionary."""
    model, dictionary_hidden, cells_of, totals_of = breakdown_disclosure(published, crosstab)
    hidden = model.hidden(
        already_hidden=dictionary_hidden, may_hide={*cells_of.values(), *totals_of.values()}
    )
    table, totals = crosstab.table, crosstab.totals
    return {
        "groups": [
            {
                "key": group,
                "label": label,
                "answered": None if totals_of[group] in hidden else total,
            }
            for (group, label), total in zip(crosstab.groups, totals, strict=True)
        ],
        "rows": [
            {
                "key": row,
                "label": label,
                "cells": [
                    {"count": None, "percent": None, "suppressed": True}
                    if cells_of[row, group] in hidden
                    else {
                        "count": table[row_index][column],
                        "percent": None
                        if totals_of[group] in hidden
                        else percent(table[row_index][column], totals[column]),
                        "suppressed": False,
                    }
                    for column, (group, _group_label) in enumerate(crosstab.groups)
                ],
            }
            for row_index, (row, label) in enumerate(crosstab.rows)
        ],
    }


def breakdown_disclosure(published, crosstab):
    """The results dictionary's Disclosure with one breakdown's cells added, the cells the
    dictionary hides, and {(row, group): cell} and {group: cell} for the breakdown's cells and
    its groups' totals.

    A group's total (residents in it who answered the question) is at most the group's count in
    the dictionary, and the shortfalls add up to the residents who did not answer; a row adds
    up, with those who did not say which group they are in, to the answer's count in the
    dictionary (for a ranking: the residents who ranked the item first).
    """
    model = about_you_disclosure(
        published.about_you, published.answers, published.total, published.area
    )
    dictionary_hidden = model.hidden()
    question_id, part, about_you = crosstab.question_id, crosstab.part, crosstab.about_you
    rows, groups, table, totals = crosstab.rows, crosstab.groups, crosstab.table, crosstab.totals
    everyone = crosstab.everyone
    several_groups = next(
        multiple
        for key, _text, _choices, multiple in about_you.block.parts(about_you.value)
        if key == part
    )
    cells_of, totals_of, skipped = {}, {}, []
    for column, (group, _label) in enumerate(groups):
        group_total = model.cell(
            ("breakdown answered", question_id, part, group), totals[column], sensitive=True
        )
        totals_of[group] = group_total
        model.at_most(group_total, option_cell(about_you.id, part, group), ("slack", group_total))
        skipped.append(("slack", group_total))
        column_cells = []
        for row_index, (row, _row_label) in enumerate(rows):
            cell = model.cell(
                ("breakdown", question_id, part, row, group),
                table[row_index][column],
                sensitive=True,
            )
            cells_of[row, group] = cell
            column_cells.append(cell)
        # The group's total less its cells: answers no longer offered, less (for a multiple
        # choice) residents who chose several. Not published, but taken as known, to be safe.
        rest = model.cell(
            ("breakdown rest", question_id, part, group),
            totals[column] - sum(model.values[cell] for cell in column_cells),
            taken_as_known=True,
            free=crosstab.several_rows,
        )
        model.total([*column_cells, rest], group_total)
        if crosstab.several_rows:
            for cell in column_cells:
                model.at_most(cell, group_total, ("slack", cell))
    # The groups' totals add up to those who answered, less those in no group (plus those in
    # several groups, where a resident can be).
    answered = model.cell(("question answered", question_id), crosstab.answered, always_shown=True)
    outside = model.cell(
        ("breakdown rest", question_id, part, "outside"),
        crosstab.answered - sum(totals),
        unpublished=True,
        free=several_groups,
    )
    model.total([*totals_of.values(), outside], answered)
    # Each group's total is no more than everyone who answered (where a resident can be in
    # several groups this does not follow from the rest), and no fewer than those who answered
    # less those outside the group; the same for each cell and its answer.
    for group, group_total in totals_of.items():
        if several_groups:
            model.at_most(group_total, answered, ("slack", group_total, "answered"))
        outside_both(model, group_total, answered, option_cell(about_you.id, part, group))
    # Residents in a group who did not answer the question, and the rest of those who did not
    # answer (outside every group, less those in several groups).
    not_answering = model.cell(
        ("not answering", question_id), published.total - crosstab.answered, always_shown=True
    )
    rest = model.cell(
        ("breakdown rest", question_id, part, "skipped"),
        model.values[not_answering] - sum(model.values[cell] for cell in skipped),
        unpublished=True,
        free=several_groups,
    )
    model.total([*skipped, rest], not_answering)
    for row_index, (row, _row_label) in enumerate(rows):
        everyone_cell = model.cell(
            ("question option", question_id, row), everyone.get(row, 0), always_shown=True
        )
        row_cells = [cells_of[row, group] for group, _label in groups]
        # Residents who chose the answer but no group (for a part with several answers, less
        # those counted in more than one group).
        rest = model.cell(
            ("breakdown rest", question_id, part, "row", row),
            everyone.get(row, 0) - sum(table[row_index]),
            unpublished=True,
            free=several_groups,
        )
        model.equation({**dict.fromkeys(row_cells, 1), rest: 1, everyone_cell: -1})
        for group, cell in zip(groups, row_cells, strict=True):
            if several_groups:
                model.at_most(cell, everyone_cell, ("slack", cell, "everyone"))
            outside_both(model, cell, everyone_cell, option_cell(about_you.id, part, group[0]))
    return model, dictionary_hidden, cells_of, totals_of


def outside_both(model, both, first, second):
    """Residents in neither of two groups are never negative: with `both` counting those in
    `first` and `second`, responses - first - second + both >= 0."""
    values = model.values
    neither = model.cell(
        ("neither", both),
        values[RESPONSES] - values[first] - values[second] + values[both],
        unpublished=True,
    )
    model.equation({neither: 1, RESPONSES: -1, first: 1, second: 1, both: -1})
