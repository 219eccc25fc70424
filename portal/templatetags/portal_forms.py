"""Render plain Django forms with GOV.UK Frontend markup (label, hint, error message, input)."""

import copy

from django import forms, template

register = template.Library()


@register.filter
def error_summary_items(form):
    """Every error in a form as (link target, message), in field order, for the error summary.

    Anything that is not a form (allauth passes nothing on button-only pages) has no errors."""
    items = []
    if not isinstance(form, forms.BaseForm):
        return items
    first_field = next(iter(form.visible_fields()), None)
    for error in form.non_field_errors():
        items.append((f"#{first_field.id_for_label}" if first_field else "#main-content", error))
    for field in form.visible_fields():
        for error in field.errors:
            items.append((f"#{field.id_for_label}", error))
    return items


@register.filter
def govuk_input_kind(field):
    """Which GOV.UK component renders this field."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


# The GOV.UK classes that have an error variant (a thicker red border).
ERROR_VARIANTS = ("govuk-input", "govuk-textarea", "govuk-select")


@register.filter
def add_class(field, css_class):
    """Render a bound field's widget with extra classes, keeping its own attributes but never
    a placeholder (a label says what to enter). The input is described by its hint and its
    error message, as GOV.UK's components do."""
    widget = copy.copy(field.field.widget)
    widget.attrs = {name: value for name, value in widget.attrs.items() if name != "placeholder"}
    classes = [widget.attrs.get("class", ""), css_class]
    if field.errors:
        classes += [f"{name}--error" for name in ERROR_VARIANTS if name in css_class.split()]
    attrs = {"class": " ".join(name for name in classes if name)}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.id_for_label}-hint")
    if field.errors:
        described_by.append(f"{field.id_for_label}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if isinstance(widget, forms.PasswordInput):
        attrs.update(spellcheck="false", autocapitalize="none")
    return field.as_widget(widget=widget, attrs=attrs)


@register.simple_tag
def confirmation_link_days():
    """How many days the link in an email-confirmation email works (allauth's setting)."""
    from allauth.account import app_settings

    return app_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS


@register.filter
def group_characters(text, size):
    """A long key in groups (ABCD EFGH …), easier to copy into an authenticator app by hand."""
    text = str(text)
    return " ".join(text[start : start + int(size)] for start in range(0, len(text), int(size)))
