"""The resident's response journey: one page per section, check your answers, confirmation.

Answers in progress live in the session as posted form data (only the section's own fields, of
bounded length) and are cleaned again, whole, before anything is stored. Signed-in residents can
also save a draft and come back later. Sending, saving, "Update totals" and every email are
rate-limited per client (portal/ratelimits.py); emails also per address.
"""

import logging
import uuid

from allauth.account.models import EmailAddress
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict

from consultations import journey
from consultations.models import OutcomePage, Response, ResponseDraft, Status
from consultations.outcomes import subscriptions
from consultations.outcomes.subscriptions import clean_outcome_email, subscribe
from consultations.receipts import send_receipt
from consultations.responses import answers_of, submit_response
from portal import ratelimits

logger = logging.getLogger(__name__)

CHECK_FORM_FIELDS = {"csrfmiddlewaretoken", "token", "receipt_email", "tell_me", "outcome_email"}
RECEIPT_EMAIL_ERROR = "Enter an email address in the correct format, like name@example.com"
TAMPERED_MESSAGE = (
    "The form had fields this page does not ask for. Nothing was saved: check your answers "
    "and continue."
)
RECEIPT_LIMIT_MESSAGE = (
    "We cannot send more copies to this email address or from your connection just now. Leave "
    "the email address empty to send your response without a copy, or wait {wait} and try again"
)
OUTCOME_LIMIT_MESSAGE = (
    "We cannot send more confirmation links to this email address or from your connection just "
    "now. Untick the box to send your response without it, or wait {wait} and try again"
)


def _session_key(page):
    return f"consultation-response-{page.pk}"


def _state(request, page):
    state = request.session.get(_session_key(page))
    if state is None:
        state = {"data": {}, "token": str(uuid.uuid4()), "changing": ""}
        request.session[_session_key(page)] = state
    return state


def _save_state(request, page, state):
    request.session[_session_key(page)] = state
    request.session.modified = True


def _refuse(request, page):
    """A clear page, not a form, when the consultation cannot take this resident's response."""
    if not page.accepts_responses:
        status = page.status
        return render(
            request,
            "consultations/journey/not_open.html",
            {"page": page, "is_upcoming": status == Status.UPCOMING},
            status=403 if request.method == "POST" else 200,
        )
    if page.require_sign_in and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if page.require_sign_in and not _verified_addresses(request.user):
        return render(
            request,
            "consultations/journey/verify_email.html",
            {"page": page, "email": request.user.email},
            status=403,
        )
    return None


def _verified_addresses(user):
    """The addresses this account has proven it owns (allauth's confirmation link), lower-cased."""
    if not user.is_authenticated:
        return set()
    verified = EmailAddress.objects.filter(user=user, verified=True)
    return {email.lower() for email in verified.values_list("email", flat=True)}


def _url(page, route, *args):
    return page.url + page.reverse_subpage(route, args=args)


def start(request, page):
    refusal = _refuse(request, page)
    if refusal:
        return refusal
    sections = journey.sections_of(page)
    if not sections:
        raise Http404("This consultation has no questions")
    state = _state(request, page)
    if request.user.is_authenticated and not state["data"]:
        draft = ResponseDraft.objects.filter(consultation=page, user=request.user).first()
        earlier = (
            Response.objects.filter(consultation=page, one_per_account_key=request.user.pk).first()
            if page.one_response_per_account
            else None
        )
        if draft:
            state["data"] = draft.answers
        elif earlier:
            answers = answers_of(earlier, journey.questions_by_id(sections))
            state["data"] = journey.form_data_for(sections, answers)
            state["changing"] = earlier.reference
        _save_state(request, page, state)
    return redirect(_url(page, "respond_section", 1))


def section(request, page, number):
    refusal = _refuse(request, page)
    if refusal:
        return refusal
    sections = journey.sections_of(page)
    if not 1 <= number <= len(sections):
        raise Http404("No such section")
    current = sections[number - 1]
    state = _state(request, page)
    errors = {}
    form_errors = []
    if request.method == "POST":
        data = journey.section_data(current, request.POST)
        action = request.POST.get("action", "continue")
        unexpected = journey.unexpected_fields(current, request.POST)
        limited = _limit_unchecked_storage(request, page, number, action)
        if limited:
            return limited
        if unexpected:
            form_errors.append(TAMPERED_MESSAGE)
        elif action == "update":
            # "Update totals" without JavaScript: keep the choices and show the new sums there.
            _merge_section(state, current, data)
            _save_state(request, page, state)
            recalculated = next((q for q in current.questions if _recalculates(q)), None)
            anchor = f"#{recalculated.anchor}" if recalculated else ""
            return redirect(_url(page, "respond_section", number) + _keep_return(request) + anchor)
        elif action == "save" and request.user.is_authenticated:
            _merge_section(state, current, data)
            _save_state(request, page, state)
            ResponseDraft.objects.update_or_create(
                consultation=page, user=request.user, defaults={"answers": state["data"]}
            )
            return render(request, "consultations/journey/saved.html", {"page": page})
        else:
            _answers, errors = journey.clean_section(current, data)
            if not errors:
                _merge_section(state, current, data)
                _save_state(request, page, state)
                if request.POST.get("return_to") == "check" or number == len(sections):
                    return redirect(_url(page, "respond_check"))
                return redirect(_url(page, "respond_section", number + 1))
        shown = MultiValueDict(data)
    else:
        shown = MultiValueDict(state["data"])
        if request.GET.get("show_errors"):
            _answers, errors = journey.clean_section(current, shown)
    questions = question_forms(current, shown, errors)
    error_items = [("#main-content", message) for message in form_errors] + [
        (f"#{field_id}", message) for field_id, message in _ordered(current, errors)
    ]
    return render(
        request,
        "consultations/journey/section.html",
        {
            "page": page,
            "section": current,
            "section_count": len(sections),
            "questions": questions,
            "error_items": error_items,
            "return_to": request.GET.get("return_to") or request.POST.get("return_to", ""),
            "back_url": _url(page, "respond_section", number - 1) if number > 1 else page.url,
            "can_save": request.user.is_authenticated,
            "scripts": scripts_for([current]),
        },
        status=400 if error_items else 200,
    )


def question_forms(section, shown, errors):
    """Each question of a section with its template and form context, showing `shown` data."""
    return [
        {
            "question": question,
            "template": question.block.meta.answer_template,
            "context": question.block.form_context(question.value, question.id, shown, errors),
        }
        for question in section.questions
    ]


def scripts_for(sections):
    """The static scripts that enhance these sections' questions."""
    return sorted(
        {
            script
            for section in sections
            for question in section.questions
            for script in question.block.scripts
        }
    )


def _limit_unchecked_storage(request, page, number, action):
    """The 429 page when this client has pressed "Update totals" or "Save" too often: both keep
    answers nobody has checked yet."""
    limit = {"update": "update_totals", "save": "save_draft"}.get(action)
    if limit is None or (limit == "save_draft" and not request.user.is_authenticated):
        return None
    return ratelimits.refuse_if_exceeded(
        request,
        limit,
        back_url=_url(page, "respond_section", number),
        back_text="Go back to your answers",
    )


def _recalculates(question):
    return getattr(question.block, "recalculates", False)


def _keep_return(request):
    return "?return_to=check" if request.POST.get("return_to") == "check" else ""


def _ordered(section, errors):
    """Errors in the order their fields appear on the page."""
    order = []
    for question in section.questions:
        for name in sorted(question.field_names()):
            if name in errors:
                order.append((name, errors[name]))
    seen = {name for name, _ in order}
    return order + [(name, message) for name, message in errors.items() if name not in seen]


def _merge_section(state, section, data):
    """Replace this section's answers in the saved state (an unticked box posts nothing)."""
    names = section.field_names()
    kept = {name: values for name, values in state["data"].items() if name not in names}
    kept.update(data)
    state["data"] = kept


def check_answers(request, page):
    refusal = _refuse(request, page)
    if refusal:
        return refusal
    if request.method == "POST":
        limited = ratelimits.refuse_if_exceeded(
            request, "respond", back_url=_url(page, "respond_check"), back_text="Check your answers"
        )
        if limited:
            return limited
        token = _valid_token(request.POST.get("token"))
        # Read the session before looking for the token. A request sent at the same moment
        # stores the response, then saves the session without the answers: if this session has
        # lost them, the response is already there to find.
        request.session.get(_session_key(page))
        already = (
            Response.objects.filter(consultation=page, idempotency_token=token).first()
            if token
            else None
        )
        if already:
            # A double click or a resubmitted form: the first one was stored; show its receipt.
            return _confirm(request, page, already, _outcome_note(request))
    sections = journey.sections_of(page)
    state = _state(request, page)
    answers, bad_section = journey.clean_all(sections, MultiValueDict(state["data"]))
    if bad_section is not None:
        return redirect(_url(page, "respond_section", bad_section) + "?show_errors=1")
    error_items = []
    receipt_email = receipt_error = ""
    email_limited = False
    tell_me = False
    outcome_email_value = outcome_email_error = ""
    if request.method == "POST":
        unexpected = set(request.POST) - CHECK_FORM_FIELDS
        if unexpected or token is None or str(token) != state["token"]:
            error_items.append(("#submit", TAMPERED_MESSAGE))
        receipt_email = request.POST.get("receipt_email", "").strip()
        if receipt_email:
            try:
                validate_email(receipt_email)
            except ValidationError:
                receipt_error = RECEIPT_EMAIL_ERROR
                error_items.append(("#receipt_email", receipt_error))
        # "Tell me about the outcome": the address box is always there (it is revealed by the
        # tick box only with JavaScript), so its value counts only when the box is ticked.
        tell_me = request.POST.get("tell_me") == "yes"
        outcome_email_value = request.POST.get("outcome_email", "").strip()
        outcome_email, outcome_email_error = clean_outcome_email(tell_me, outcome_email_value)
        if outcome_email_error:
            error_items.append(("#outcome_email", outcome_email_error))
        if not error_items:
            receipt_error = _email_limit(request, "receipt", receipt_email, RECEIPT_LIMIT_MESSAGE)
            outcome_email_error = _email_limit(
                request, "outcome_email", outcome_email, OUTCOME_LIMIT_MESSAGE
            )
            error_items += [("#receipt_email", receipt_error)] if receipt_error else []
            error_items += [("#outcome_email", outcome_email_error)] if outcome_email_error else []
            email_limited = bool(error_items)
        if not error_items:
            return _submit(request, page, sections, answers, token, receipt_email, outcome_email)
    return render(
        request,
        "consultations/journey/check_answers.html",
        {
            "page": page,
            "sections": [
                {
                    "section": s,
                    "change_url": _url(page, "respond_section", s.number),
                    "rows": journey.summary([s], answers),
                }
                for s in sections
            ],
            "token": state["token"],
            "changing": state.get("changing", ""),
            "error_items": error_items,
            "receipt_email": receipt_email,
            "receipt_error": receipt_error,
            "tell_me": tell_me,
            "outcome_email": outcome_email_value,
            "outcome_email_error": outcome_email_error,
            "account_addresses": sorted(_verified_addresses(request.user)),
            "receipt_limit": ratelimits.limit_in_words("receipt_address"),
            "outcome_email_limit": ratelimits.limit_in_words("outcome_email_address"),
            "confirm_within_days": subscriptions.CONFIRM_WITHIN.days,
            "back_url": _url(page, "respond_section", len(sections)),
        },
        status=429 if email_limited else 400 if error_items else 200,
    )


def _email_limit(request, action, address, message):
    """An error for the email field if this client, or this address, has had too many emails."""
    if not address:
        return ""
    if ratelimits.exceeded(request, action) or ratelimits.exceeded(
        request, f"{action}_address", address=address
    ):
        return message.format(wait=ratelimits.wait_in_words(f"{action}_address"))
    return ""


def _submit(request, page, sections, answers, token, receipt_email, outcome_email=""):
    """Store the whole, clean response (and any wish to hear the outcome, with it); then forget
    the answers in progress and any draft."""
    user = request.user if request.user.is_authenticated else None
    own_addresses = _verified_addresses(request.user)
    waiting = False
    with transaction.atomic():
        response, created = submit_response(
            page, journey.questions_by_id(sections), answers, token, user=user
        )
        if not created and response.idempotency_token == token:
            # The same "Send response" sent twice at once: the other request stored it and
            # sends its emails.
            return _confirm(request, page, response, _outcome_note(request))
        if outcome_email:
            subscription, waiting = subscribe(
                page, outcome_email, confirmed=outcome_email in own_addresses
            )
    # The response is stored: an email that cannot be sent now is logged, never a server error.
    if waiting:
        _send_safely(subscriptions.send_confirmation, page, subscription)
    if user:
        ResponseDraft.objects.filter(consultation=page, user=user).delete()
    if receipt_email:
        rows = journey.summary(sections, answers)
        full_copy = receipt_email.lower() in own_addresses
        _send_safely(send_receipt, receipt_email, page, response, rows, full_copy=full_copy)
    return _confirm(request, page, response, _outcome_note(request, outcome_email))


def _outcome_note(request, outcome_email=None):
    """What the confirmation says about hearing the outcome, for the address this form gave.

    Only the resident's own verified address is said to be kept: for any other address the page
    always says a link was sent, so it cannot tell a stranger whether that address (someone
    else's, perhaps) had already asked to hear about this consultation.
    """
    if outcome_email is None:
        outcome_email, _error = clean_outcome_email(
            request.POST.get("tell_me") == "yes", request.POST.get("outcome_email", "")
        )
    if not outcome_email:
        return ""
    return "kept" if outcome_email in _verified_addresses(request.user) else "waiting"


def _confirm(request, page, response, outcome_note):
    """Forget the answers in progress and show the stored response's confirmation.

    Every "Send response" for the same answers ends here with the same reference and note, so
    whichever of two simultaneous requests saves the session last leaves the same confirmation.
    """
    request.session.pop(_session_key(page), None)
    request.session[f"{_session_key(page)}-reference"] = response.reference
    request.session[f"{_session_key(page)}-outcome-email"] = outcome_note
    return redirect(_url(page, "respond_confirmation"))


def _send_safely(send, *args, **kwargs):
    try:
        send(*args, **kwargs)
    except Exception:  # an SMTP failure must not turn a stored response into an error page
        logger.exception("Could not send %s for a response", send.__name__)


def _valid_token(raw):
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def confirmation(request, page):
    reference = request.session.get(f"{_session_key(page)}-reference")
    if not reference:
        return redirect(page.url)
    response = Response.objects.filter(reference=reference, consultation=page).first()
    if response is None:
        return redirect(page.url)
    return render(
        request,
        "consultations/journey/confirmation.html",
        {
            "page": page,
            "response": response,
            "changed": response.updated_at is not None,
            "outcome_email": request.session.get(f"{_session_key(page)}-outcome-email", ""),
            "confirm_within_days": subscriptions.CONFIRM_WITHIN.days,
        },
    )


def confirm_outcome_email(request, page, key):
    """The link in the confirmation email: a button to press (a mail scanner opening the link
    confirms nothing), then the address is kept for the outcome."""
    subscription = subscriptions.subscription_for_key(page, key)
    context = {"page": page, "days": subscriptions.CONFIRM_WITHIN.days}
    template = "consultations/journey/confirm_outcome_email.html"
    if subscription is None:
        return render(request, template, {**context, "state": "expired"}, status=404)
    if request.method == "POST":
        with transaction.atomic():
            subscriptions.confirm(subscription)
        outcome = OutcomePage.objects.child_of(page).live().first()
        return render(request, template, {**context, "state": "confirmed", "outcome": outcome})
    state = "confirmed" if subscription.confirmed_at else "ask"
    return render(request, template, {**context, "state": state})
