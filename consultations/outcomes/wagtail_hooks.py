"""Wagtail admin hooks for the outcomes stage (imported by consultations/wagtail_hooks.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from consultations.models import OutcomePage
from consultations.outcomes.choosers import comment_chooser_viewset
from consultations.outcomes.pages import open_consultation_refusal


@hooks.register("register_admin_viewset")
def register_comment_chooser():
    return comment_chooser_viewset


@hooks.register("before_create_page")
def refuse_outcome_for_open_consultation(request, parent_page, page_class):
    """Say why at once, rather than after the officer has written the whole outcome."""
    if not issubclass(page_class, OutcomePage):
        return None
    refusal = open_consultation_refusal(parent_page.specific)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect("wagtailadmin_explore", parent_page.pk)
