"""Every exchange with a customer, with its outcome and the next step."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ActivityKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    NOTE = "note", _("Note")


class Activity(models.Model):
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind.choices)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    subject = models.CharField(_("subject"), max_length=200)
    outcome = models.TextField(_("outcome"), blank=True)
    contacts = models.ManyToManyField(
        "buying_center.Contact", verbose_name=_("people involved"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    follow_up_on = models.DateField(_("follow-up on"), null=True, blank=True)
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follow-up by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)

    history = HistoricalRecords(m2m_fields=[contacts])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(
                fields=["follow_up_by", "follow_up_done", "follow_up_on"],
                name="activity_follow_ups",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def clean(self) -> None:
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError(
                {"occurred_on": _("An activity cannot lie in the future; plan it as a follow-up.")}
            )
        if self.follow_up_on and not self.next_step:
            raise ValidationError({"next_step": _("Say what the follow-up is about.")})
        if self.follow_up_on and self.occurred_on and self.follow_up_on < self.occurred_on:
            raise ValidationError(
                {"follow_up_on": _("The follow-up cannot lie before the activity.")}
            )
