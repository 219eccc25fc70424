"""The outcome editor's note on where quotes come from, carrying the consultation to the chooser."""

from wagtail.admin.panels import Panel

# The comment chooser (consultations/outcomes/choosers.py) reads the consultation from this input.
CONSULTATION_INPUT_ID = "outcome-quote-consultation"


class QuoteConsultationPanel(Panel):
    """Names the consultation quotes come from, in a hidden input the comment chooser reads."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "consultations/outcomes/admin/quote_consultation_panel.html"

        def consultation(self):
            parent = getattr(self.form, "parent_page", None)
            if parent is None and self.instance.pk:
                parent = self.instance.get_parent()
            return parent.specific if parent is not None else None

        def is_shown(self):
            return self.consultation() is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(consultation=self.consultation(), input_id=CONSULTATION_INPUT_ID)
            return context
