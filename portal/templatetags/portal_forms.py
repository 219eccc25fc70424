"""Render plain Django forms with GOV.UK Frontend markup (label, hint, error message, input)."""

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
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


@register.filter
def add_class(field, css_class):
    """Render a bound field's widget with extra classes, keeping its own attributes."""
    existing = field.field.widget.attrs.get("class", "")
    attrs = {"class": f"{existing} {css_class}".strip()}
    if field.errors:
        attrs["aria-describedby"] = f"{field.id_for_label}-error"
    return field.as_widget(attrs=attrs)
