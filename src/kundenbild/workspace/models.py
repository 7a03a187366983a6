"""What a user decided about their worklist: the items they dismissed, with the reason,
and the items they put off until a day (snoozed).

Moved here from `insights` (migration workspace 0001 takes the model over without
touching a row, 0002 renames its tables), because insights keeps only the analysis runs
and what they found.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class WorkItemKind(models.TextChoices):
    """What can put a customer on its people's worklist."""

    TYPE_SHRINKING = "type_shrinking", _("Turned shrinking")
    BELL_PAST_PEAK = "bell_past_peak", _("Bell past its peak")
    P_ALIVE_DROPPED = "p_alive_dropped", _("Probability still active dropped")
    MARGIN_NEGATIVE = "margin_negative", _("Margin turned negative")
    DECIDER_WITHOUT_CONTACT = "decider_without_contact", _("Decider without contact")
    PROFILE_STALE = "profile_stale", _("Profile areas to review")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")
    COACHING_REVIEW_DUE = "coaching_review_due", _("Coaching review due")


class WorkItemDismissal(models.Model):
    """A user's decision that one item of their worklist needs nothing (more), and why.

    The key names the occurrence (the run, the contact's last contact, the review date),
    so the same matter comes back when it happens anew. Restoring keeps the row and its
    history: who dismissed what, when and why stays on record.

    A snooze is a dismissal with an end: `snoozed_until` is the day the item returns
    (the reason is optional then). An ended snooze needs no write to end: the worklist
    shows the item again from that day; when the user decides on the item anew, the
    services close the ended snooze (`restored_at`), so one decision per item is open.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="dismissals",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="dismissals",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=WorkItemKind.choices)
    key = models.CharField(_("item"), max_length=120)
    summary = models.CharField(_("what it said"), max_length=300)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    snoozed_until = models.DateField(
        _("snoozed until"),
        null=True,
        blank=True,
        help_text=_("the day the item returns to the worklist; empty for a dismissal"),
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), auto_now_add=True)
    restored_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dismissed work item")
        verbose_name_plural = _("dismissed work items")
        ordering = ["-dismissed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=models.Q(restored_at__isnull=True),
                name="work_item_dismissed_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"
