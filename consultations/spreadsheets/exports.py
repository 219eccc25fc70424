"""Exporting a consultation's responses: which responses, their rows, and the file.

Rows are built from plain tuples a few thousand responses at a time (keyset pagination), so an
export of 100,000 responses holds one batch in memory, never the whole consultation; CSV goes
straight to the officer as it is made. Free text is the moderated text (or a mark such as
"[waiting for moderation]") unless the export is for someone allowed to see personal data who
asked for it; the account email is then the account's verified address (allauth's EmailAddress),
never one its holder has not shown to be theirs.
"""

from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.db import connection, connections
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.utils import timezone

from consultations.models import PUBLISHABLE, Answer, Comment, RankingPosition, Response
from consultations.responses import answers_from_rows
from consultations.spreadsheets.layout import HEADER_ROWS, TEXT_MARKS, layout_for, row_for
from portal.spreadsheets import WorkbookSheet, csv_chunks, write_csv, write_ods, write_xlsx

BATCH = 2_000
NOT_STATED = "not_stated"  # an area filter value: residents who did not say where they live

Record = namedtuple("Record", "reference submitted_at channel email answers texts")


def shown_text(text, status, public_text, personal_data):
    """A resident's words as an export shows them: the original for staff allowed personal data,
    otherwise the moderated text, or a mark saying why there is none (waiting for moderation,
    rejected) which the import recognises, so the file still goes back in."""
    if personal_data:
        return text or None
    if status in PUBLISHABLE:
        return public_text or None
    return TEXT_MARKS.get(status) if text else None


def verified_addresses():
    """A user's verified email addresses, the primary one first."""
    return EmailAddress.objects.filter(verified=True).order_by("-primary", "pk")


def verified_email(user):
    """The account's verified address, or None: an address never confirmed may not be theirs."""
    if user is None:
        return None
    return verified_addresses().filter(user=user).values_list("email", flat=True).first()


def record_of(response, layout, personal_data):
    """A Record from a Response with its answers (and their comments) and positions prefetched:
    the slower path import-export's own export takes, one object at a time."""
    texts = {}
    for answer in response.answers.all():
        comment = getattr(answer, "comment", None) if not answer.part else None
        if not answer.part and (answer.text or comment):
            texts[answer.question_id] = shown_text(
                answer.text,
                comment.status if comment else None,
                comment.public_text if comment else "",
                personal_data,
            )
    return Record(
        reference=response.reference,
        submitted_at=response.submitted_at,
        channel=response.channel,
        email=verified_email(response.user) if personal_data else None,
        answers=answers_from_rows(
            response.answers.all(), response.ranking_positions.all(), layout.questions
        ),
        texts=texts,
    )


@dataclass
class ExportFilters:
    """Which responses go in: all of them unless narrowed. Dates are inclusive, London time."""

    submitted_from: object = None  # date
    submitted_to: object = None  # date
    channels: list = field(default_factory=list)
    areas: list = field(default_factory=list)  # ward ids, or NOT_STATED
    moderation_statuses: list = field(default_factory=list)  # any comment in one of these

    def apply(self, responses, layout):
        if self.submitted_from:
            start = timezone.make_aware(datetime.combine(self.submitted_from, time.min))
            responses = responses.filter(submitted_at__gte=start)
        if self.submitted_to:
            end = timezone.make_aware(
                datetime.combine(self.submitted_to + timedelta(days=1), time.min)
            )
            responses = responses.filter(submitted_at__lt=end)
        if self.channels:
            responses = responses.filter(channel__in=self.channels)
        if self.areas and layout.area_question_id:
            said = Answer.objects.filter(
                response=OuterRef("pk"), question_id=layout.area_question_id, part="ward"
            )
            chosen = Exists(said.filter(option__in=[a for a in self.areas if a != NOT_STATED]))
            responses = responses.filter(
                chosen | ~Exists(said) if NOT_STATED in self.areas else chosen
            )
        if self.moderation_statuses:
            responses = responses.filter(
                Exists(
                    Comment.objects.filter(
                        answer__response=OuterRef("pk"), status__in=self.moderation_statuses
                    )
                )
            )
        return responses

    def describe(self):
        """The filters as plain data, for the audit log."""
        return {
            "submitted_from": self.submitted_from.isoformat() if self.submitted_from else None,
            "submitted_to": self.submitted_to.isoformat() if self.submitted_to else None,
            "channels": list(self.channels),
            "areas": list(self.areas),
            "moderation_statuses": list(self.moderation_statuses),
        }

    @classmethod
    def from_description(cls, data):
        from datetime import date

        data = data or {}
        return cls(
            submitted_from=date.fromisoformat(data["submitted_from"])
            if data.get("submitted_from")
            else None,
            submitted_to=date.fromisoformat(data["submitted_to"])
            if data.get("submitted_to")
            else None,
            channels=list(data.get("channels") or []),
            areas=list(data.get("areas") or []),
            moderation_statuses=list(data.get("moderation_statuses") or []),
        )


@dataclass
class ResponsesExport:
    """One export: the consultation, who it is for (personal data or not) and which responses."""

    consultation: object
    filters: ExportFilters = field(default_factory=ExportFilters)
    personal_data: bool = False

    def __post_init__(self):
        self.layout = layout_for(self.consultation, personal_data=self.personal_data)

    def responses(self):
        return self.filters.apply(
            Response.objects.filter(consultation=self.consultation), self.layout
        )

    def count(self):
        return self.responses().count()

    def records(self):
        """Each response as a Record, oldest first, BATCH responses per round of queries.

        Outside a transaction the next batch is read by a second thread (on its own database
        connection) while this one turns the current batch into rows: the database's work and
        ours overlap, a quarter less time for a big export. Inside a transaction (a test, or a
        caller's atomic block) a second connection could not see uncommitted rows, so batches are
        read in turn.
        """
        questions = self.layout.questions
        readers = {}
        for batch, answers, texts, positions in self._batches():
            for pk, reference, submitted_at, channel, email in batch:
                yield Record(
                    reference=reference,
                    submitted_at=submitted_at,
                    channel=channel,
                    email=email if self.personal_data else None,
                    answers=answers_from_rows(
                        answers.get(pk, ()), positions.get(pk, ()), questions, readers
                    ),
                    texts=texts.get(pk, {}),
                )

    def _batches(self):
        if connection.in_atomic_block:
            after = None
            while True:
                fetched, after = self._batch(after)
                if fetched is None:
                    return
                yield fetched
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="export") as reader:
            try:
                ahead = reader.submit(self._batch, None)
                while True:
                    fetched, after = ahead.result()
                    if fetched is None:
                        return
                    ahead = reader.submit(self._batch, after)
                    yield fetched
            finally:
                # Close the reading thread's own database connection.
                reader.submit(connections.close_all).result()

    def _batch(self, after):
        """((responses, answers, texts, positions), key to read on from), or (None, None)."""
        page = self.responses().order_by("submitted_at", "pk")
        if after is not None:
            page = page.filter(
                Q(submitted_at__gt=after[0]) | Q(submitted_at=after[0], pk__gt=after[1])
            )
        email = (
            Subquery(verified_addresses().filter(user_id=OuterRef("user_id")).values("email")[:1])
            if self.personal_data
            else Value(None, output_field=CharField())
        )
        batch = list(
            page.annotate(account_email=email).values_list(
                "pk", "reference", "submitted_at", "channel", "account_email"
            )[:BATCH]
        )
        if not batch:
            return None, None
        ids = [row[0] for row in batch]
        answers, texts = self._answer_rows(ids)
        positions = {}
        for row in (
            RankingPosition.objects.filter(response_id__in=ids)
            .values_list("response_id", "question_id", "item_id", "position", named=True)
            .order_by()
        ):
            positions.setdefault(row.response_id, []).append(row)
        return (batch, answers, texts, positions), (batch[-1][2], batch[-1][0])

    def _answer_rows(self, ids):
        answers, texts = {}, {}
        # Named rows carry the attributes answers_from_rows reads (question_id, part, option,
        # text, number), so each row is made once.
        for row in (
            Answer.objects.filter(response_id__in=ids)
            .values_list(
                "response_id",
                "question_id",
                "part",
                "option",
                "text",
                "number",
                "comment__status",
                "comment__public_text",
                named=True,
            )
            .order_by()
        ):
            answers.setdefault(row.response_id, []).append(row)
            if not row.part and (row.text or row.comment__status):  # free text and "Other"
                texts.setdefault(row.response_id, {})[row.question_id] = shown_text(
                    row.text, row.comment__status, row.comment__public_text, self.personal_data
                )
        return answers, texts

    def rows(self):
        """The header rows, then one row per response."""
        yield from self.layout.header_rows()
        for record in self.records():
            yield row_for(self.layout, record)

    def sheets(self):
        return [
            WorkbookSheet("Responses", self.rows(), header_rows=HEADER_ROWS),
            WorkbookSheet(
                "Columns", self.layout.dictionary_rows(), header_rows=1, widths=[30, 40, 50, 80]
            ),
        ]

    def write(self, file_format, target):
        """Write the whole file to `target` (a binary file object)."""
        if file_format == "csv":
            write_csv(self.rows(), target)
        elif file_format == "xlsx":
            write_xlsx(self.sheets(), target)
        elif file_format == "ods":
            write_ods(self.sheets(), target)
        else:
            raise ValueError(f"Unknown export format {file_format!r}")

    def csv_stream(self):
        return csv_chunks(self.rows())

    def file_name(self, file_format):
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
        return f"{self.consultation.slug}-responses-{stamp}.{file_format}"
