"""Storing responses: one transaction each, and safe to repeat.

A response is written only once every answer is clean. The same submission posted twice (a double
click, a browser resubmitting) carries the same idempotency token and makes one response.
"""

import secrets
from collections import defaultdict
from decimal import Decimal

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
        kind = questions[question_id].type
        block = questions[question_id].block
        if hasattr(block, "to_rows"):
            rows += [
                Answer(response=response, question_id=question_id, **row)
                for row in block.to_rows(answer)
            ]
        elif kind == "priority_ranking":
            positions += [
                RankingPosition(
                    response=response, question_id=question_id, item_id=item_id, position=position
                )
                for item_id, position in answer["positions"].items()
            ]
        elif kind in {"single_choice", "agreement_scale"}:
            rows.append(
                Answer(
                    response=response,
                    question_id=question_id,
                    option=answer["option"],
                    text=answer.get("other", ""),
                )
            )
        elif kind == "multiple_choice":
            rows += [
                Answer(response=response, question_id=question_id, option=option)
                for option in answer["options"]
            ]
        elif kind == "free_text":
            rows.append(Answer(response=response, question_id=question_id, text=answer["text"]))
        elif kind == "number":
            rows.append(
                Answer(response=response, question_id=question_id, number=Decimal(answer["number"]))
            )
        elif kind == "about_you":
            for part, chosen in answer.items():
                if part == "postcode_district":
                    rows.append(
                        Answer(response=response, question_id=question_id, part=part, text=chosen)
                    )
                    continue
                for option in chosen if isinstance(chosen, list) else [chosen]:
                    rows.append(
                        Answer(response=response, question_id=question_id, part=part, option=option)
                    )
        else:
            raise ValueError(f"No storage rule for question type {kind}")
    create_comments(
        response,
        Answer.objects.bulk_create(rows),
        {question_id: questions[question_id].type for question_id in answers},
    )
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


def answers_from_rows(answer_rows, position_rows, questions, known_parts=None):
    """Clean answers by question id from stored rows (Answer and RankingPosition, or any objects
    with the same attributes: the spreadsheet export reads plain tuples for speed). Pass the same
    `known_parts` dict on every call to work out each "about you" block's parts once."""
    answers = defaultdict(dict)
    for row in position_rows:
        answers[row.question_id].setdefault("positions", {})[row.item_id] = row.position
    rows_by_question = defaultdict(list)
    multiple_parts = {} if known_parts is None else known_parts
    for row in answer_rows:
        question = questions.get(row.question_id)
        if question is None:
            continue
        if hasattr(question.block, "from_rows"):
            rows_by_question[row.question_id].append(row)
            continue
        answer = answers[row.question_id]
        if question.type in {"single_choice", "agreement_scale"}:
            answer["option"] = row.option
            if row.text:
                answer["other"] = row.text
        elif question.type == "multiple_choice":
            answer.setdefault("options", []).append(row.option)
        elif question.type == "free_text":
            answer["text"] = row.text
        elif question.type == "number":
            number = row.number.normalize()
            answer["number"] = str(number if number != number.to_integral_value() else int(number))
        elif question.type == "about_you":
            if row.part == "postcode_district":
                answer[row.part] = row.text
            elif row.part in _multiple_parts(question, multiple_parts):
                answer.setdefault(row.part, []).append(row.option)
            else:
                answer[row.part] = row.option
    for question_id, rows in rows_by_question.items():
        answers[question_id] = questions[question_id].block.from_rows(rows)
    return dict(answers)


def _multiple_parts(question, known):
    """The "about you" parts that take several answers (worked out once per question)."""
    if question.id not in known:
        known[question.id] = {
            part for part, _text, _choices, many in question.block.parts(question.value) if many
        }
    return known[question.id]
