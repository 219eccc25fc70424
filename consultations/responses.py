"""Storing responses: one transaction each, and safe to repeat.

A response is written only once every answer is clean. The same submission posted twice (a double
click, a browser resubmitting) carries the same idempotency token and makes one response.
"""

import secrets
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone

from consultations.models import Answer, Channel, RankingBallot, RankingPosition, Response
from consultations.moderation.comments import create_comments

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read out on the phone


def new_reference():
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"KBC-{body[:4]}-{body[4:]}"


def submit_response(
    consultation,
    questions,
    answers,
    token,
    user=None,
    channel=Channel.ONLINE,
    reference=None,
    submitted_at=None,
):
    """Store a whole response. Returns (response, created).

    `questions` maps question id to journey.Question; `answers` are clean answers by question id.
    Where the consultation allows one response per account, a second submission replaces the
    resident's earlier answers instead of adding a response. Imported responses bring their own
    `reference` (from the paper form) and `submitted_at` (when it arrived).
    """
    existing = Response.objects.filter(consultation=consultation, idempotency_token=token).first()
    if existing:
        return existing, False
    per_account = consultation.one_response_per_account and user is not None
    for _attempt in range(3):
        if per_account:
            changed = _replace_account_response(consultation, questions, answers, user, token)
            if changed:
                return changed, False
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    consultation=consultation,
                    reference=reference or new_reference(),
                    submitted_at=submitted_at or timezone.now(),
                    channel=channel,
                    user=user,
                    idempotency_token=token,
                    one_per_account_key=user.pk if per_account else None,
                )
                _write_answers(response, questions, answers)
            return response, True
        except IntegrityError:
            # Someone else stored this submission (or this account's response) first.
            existing = Response.objects.filter(
                consultation=consultation, idempotency_token=token
            ).first()
            if existing:
                return existing, False
    raise IntegrityError("Could not store the response after several attempts")


def _replace_account_response(consultation, questions, answers, user, token):
    with transaction.atomic():
        response = (
            Response.objects.select_for_update()
            .filter(consultation=consultation, one_per_account_key=user.pk)
            .first()
        )
        if response is None or response.idempotency_token == token:
            # Nothing to replace, or this very submission, stored a moment ago by a request
            # sent at the same time: it is not a change.
            return response
        response.answers.all().delete()
        response.ranking_positions.all().delete()
        response.ranking_ballots.all().delete()
        _write_answers(response, questions, answers)
        response.updated_at = timezone.now()
        response.save(update_fields=["updated_at"])
        return response


def _write_answers(response, questions, answers):
    rows, positions = [], []
    for question_id, answer in answers.items():
        block = questions[question_id].block
        rows += [
            Answer(response=response, question_id=question_id, **row)
            for row in block.answer_rows(answer)
        ]
        positions += [
            RankingPosition(
                response=response, question_id=question_id, item_id=item_id, position=position
            )
            for item_id, position in block.ranking_positions(answer).items()
        ]
    create_comments(response, Answer.objects.bulk_create(rows), questions)
    store_ranking_positions(positions)


def store_ranking_positions(positions, batch_size=None):
    """Store RankingPosition rows and each resident's RankingBallot made from them.

    Everything that writes positions (submission, imports, the demo and the benchmark's bulk
    loads) comes through here, because results count the ballots.
    """
    RankingPosition.objects.bulk_create(positions, batch_size=batch_size)
    ballots = defaultdict(dict)
    for row in positions:
        ballots[row.response_id, row.question_id][row.item_id] = row.position
    RankingBallot.objects.bulk_create(
        [
            RankingBallot(response_id=response_id, question_id=question_id, positions=ballot)
            for (response_id, question_id), ballot in ballots.items()
        ],
        batch_size=batch_size,
    )


def answers_of(response, questions):
    """A stored response's clean answers, by question id (for changing a response)."""
    return answers_from_rows(response.answers.all(), response.ranking_positions.all(), questions)


def answers_from_rows(answer_rows, position_rows, questions, readers=None):
    """Clean answers by question id from stored rows (Answer and RankingPosition, or any objects
    with the same attributes: the spreadsheet export reads plain tuples for speed), each read by
    its question's type. Pass the same `readers` dict on every call to prepare each question's
    reader once."""
    readers = {} if readers is None else readers
    rows_by_question, positions_by_question = defaultdict(list), defaultdict(dict)
    for row in position_rows:
        positions_by_question[row.question_id][row.item_id] = row.position
    for row in answer_rows:
        rows_by_question[row.question_id].append(row)
    answers = {}
    for question_id in [*positions_by_question, *rows_by_question]:
        question = questions.get(question_id)
        if question is None or question_id in answers:
            continue
        reader = readers.get(question_id)
        if reader is None:
            reader = readers[question_id] = question.block.answer_reader(question)
        answers[question_id] = reader(
            rows_by_question.get(question_id, []), positions_by_question.get(question_id, {})
        )
    return answers
