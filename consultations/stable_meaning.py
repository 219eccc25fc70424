"""Once residents have answered, what a question means must not change under their answers.

Officers may reword a question, its help text or its options. They may not delete a question,
change its type, or remove an option or ranking item, because stored answers point at them by id.
"""

from django.core.exceptions import ValidationError
from wagtail.blocks import StreamBlockValidationError

from consultations.journey import questions_of


def removed_options(old, new, answers):
    """The usual rule: options answers point at by id stay. A question type with rules of its
    own defines `meaning_changes(old, new, answers)` on its block instead."""
    removed = old.block.option_ids(old.value) - new.block.option_ids(new.value)
    if removed:
        return [f"You cannot remove {len(removed)} option(s) from the question ‘{old.text}’."]
    return []


def meaning_changes(before, after, answers):
    """What an edit would break, as messages. `before`/`after` map question id to Question;
    `answers` are this consultation's stored answers (a queryset, filtered per question)."""
    problems = []
    for question_id, old in before.items():
        new = after.get(question_id)
        if new is None:
            problems.append(f"You cannot delete the question ‘{old.text}’.")
        elif new.type != old.type:
            problems.append(
                f"You cannot change the type of the question ‘{old.text}’ "
                f"from {old.block.meta.label.lower()} to {new.block.meta.label.lower()}."
            )
        else:
            check = getattr(new.block, "meaning_changes", removed_options)
            problems += check(old, new, answers.filter(question_id=question_id))
    return problems


def refuse_changes_to_answered_questions(page):
    """Raise a ValidationError for the editor if this edit would change answered questions."""
    if page.pk is None:
        return
    from consultations.models import Answer, ConsultationPage, Response

    response_count = Response.objects.filter(consultation_id=page.pk).count()
    if not response_count:
        return
    stored = ConsultationPage.objects.get(pk=page.pk)
    answers = Answer.objects.filter(response__consultation_id=page.pk)
    problems = meaning_changes(questions_of(stored), questions_of(page), answers)
    if problems:
        why = (
            f"{response_count:,} response(s) have already been given to this consultation, and "
            "they would lose their meaning. You can reword questions and options instead."
        )
        raise ValidationError(
            {"questions": StreamBlockValidationError(non_block_errors=[*problems, why])}
        )
