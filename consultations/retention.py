"""What happens to residents' personal data when a consultation's retention period ends.

Each consultation keeps personal data for `retention_months` after it closes (12 by default),
and the privacy notice promises residents that their answers are anonymised then. Anonymising
keeps everything results and the published outcome are made of, and removes what could identify
a resident:

- the link from a response to the resident's account (and the one-response-per-account key);
- postcode districts ("about you"): where a resident lives, more closely than the ward results
  use (emptied, so the count of residents who answered "about you" stays);
- residents' own words as they wrote them: an approved or redacted comment keeps only its
  published version (so quotes on "you said, we did" stay as they are), a rejected comment keeps
  its decision but loses its words, and a comment never moderated is deleted with its words,
  as it can no longer be published;
- unfinished answers saved by signed-in residents, and outcome email addresses
  (`outcomes.subscriptions`).

`manage.py apply_retention`, run daily, does it; each response is anonymised once
(`Response.anonymised_at`).
"""

from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from wagtail.log_actions import log

from consultations.models import (
    PUBLISHABLE,
    Answer,
    Comment,
    ConsultationPage,
    ModerationStatus,
    Response,
    ResponseDraft,
)

# The audit-log action: one entry per consultation and run that changed anything (counts only).
ANONYMISE_RESPONSES = "consultations.anonymise_responses"

# Responses anonymised per transaction, so a large consultation does not hold its locks for long.
BATCH = 2_000


def add_months(moment, months):
    """`moment` plus whole calendar months, on the last day of a shorter month if need be."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    days_in_month = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return moment.replace(year=year, month=month, day=min(moment.day, days_in_month[month - 1]))


def _leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def retention_ends(consultation):
    return add_months(consultation.closes_at, consultation.retention_months)


def past_retention(consultations, now=None):
    """The consultations among `consultations` whose retention period has ended."""
    now = now or timezone.now()
    return [
        consultation
        for consultation in consultations.filter(closes_at__lte=now).only(
            "pk", "closes_at", "retention_months"
        )
        if retention_ends(consultation) <= now
    ]


@dataclass
class Anonymised:
    responses: int = 0
    postcodes: int = 0
    comments_cut_to_published: int = 0
    rejected_words: int = 0
    unmoderated_deleted: int = 0
    drafts: int = 0

    def __iadd__(self, other):
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def anonymise_expired_responses(now=None):
    """Anonymise every response of every consultation past its retention period (see above)."""
    now = now or timezone.now()
    done = Anonymised()
    for consultation in past_retention(ConsultationPage.objects.all(), now):
        done += anonymise_consultation(consultation, now)
    return done


def anonymise_consultation(consultation, now=None):
    now = now or timezone.now()
    done = Anonymised()
    drafts, _by_model = ResponseDraft.objects.filter(consultation=consultation).delete()
    done.drafts = drafts
    waiting = Response.objects.filter(consultation=consultation, anonymised_at__isnull=True)
    try:
        while True:
            with transaction.atomic():
                batch = list(waiting.order_by("pk").values_list("pk", flat=True)[:BATCH])
                if not batch:
                    break
                done += _anonymise_responses(batch, now)
    finally:
        # Also when a later batch fails: the entry says what was done.
        if done != Anonymised():
            log(instance=consultation, action=ANONYMISE_RESPONSES, data=asdict(done))
    return done


def _anonymise_responses(response_ids, now):
    done = Anonymised(responses=len(response_ids))
    answers = Answer.objects.filter(response_id__in=response_ids)
    comments = Comment.objects.filter(answer__response_id__in=response_ids)
    # A moderator's decision on one of these comments waits until the batch is done, so none is
    # published between copying the published text and emptying the rest.
    list(comments.select_for_update().values_list("pk", flat=True))
    # The district goes, the row stays: results count who answered "about you".
    done.postcodes = answers.filter(part="postcode_district").exclude(text="").update(text="")
    published = Comment.objects.filter(answer=OuterRef("pk"), status__in=PUBLISHABLE)
    done.comments_cut_to_published = answers.filter(comment__status__in=PUBLISHABLE).update(
        text=Subquery(published.values("public_text")[:1])
    )
    done.rejected_words = comments.filter(status=ModerationStatus.REJECTED).count()
    # Every other answer's words go: rejected, never moderated (or, were there any, never
    # queued). The answer row itself stays, so counts of who answered do not change.
    answers.exclude(text="").exclude(comment__status__in=PUBLISHABLE).update(text="")
    done.unmoderated_deleted, _by_model = comments.filter(status=ModerationStatus.PENDING).delete()
    # Where the flagger found personal data in the original: the places no longer apply.
    comments.exclude(flags=[]).update(flags=[])
    Response.objects.filter(pk__in=response_ids).update(
        user=None, one_per_account_key=None, anonymised_at=now
    )
    return done
