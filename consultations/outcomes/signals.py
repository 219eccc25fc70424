"""Publishing an outcome tells the residents who asked to hear about it.

`page_published` is sent however the page goes live: published directly by an approver, approved
in the sign-off workflow, or at its scheduled time. The emails go once the publish is committed.
"""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from consultations.models import OutcomePage
from consultations.outcomes.subscriptions import notify_subscribers_task


@receiver(page_published, sender=OutcomePage, dispatch_uid="outcomes-tell-subscribers")
def tell_subscribers(sender, instance, **kwargs):
    outcome_id = instance.pk
    transaction.on_commit(lambda: notify_subscribers_task.enqueue(outcome_id))
