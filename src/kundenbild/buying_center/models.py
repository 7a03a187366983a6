"""People at the customer, how they relate to each other and to us, and buying centers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class BuyingRoleCode(models.TextChoices):
    """The roles in a buying center (Webster & Wind)."""

    INITIATOR = "initiator", _("Initiator")
    USER = "user", _("User")
    INFLUENCER = "influencer", _("Influencer")
    DECIDER = "decider", _("Decider")
    BUYER = "buyer", _("Buyer")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")


class BuyingRole(models.Model):
    code = models.CharField(max_length=20, unique=True, choices=BuyingRoleCode.choices)

    class Meta:
        verbose_name = _("buying role")
        verbose_name_plural = _("buying roles")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class Influence(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Attitude(models.TextChoices):
    CHAMPION = "champion", _("champion")
    SUPPORTER = "supporter", _("supporter")
    NEUTRAL = "neutral", _("neutral")
    SCEPTIC = "sceptic", _("sceptic")
    OPPONENT = "opponent", _("opponent")


class Salutation(models.TextChoices):
    """How a person is addressed in a letter; empty where nobody has said."""

    MR = "mr", _("Mr")
    MS = "ms", _("Ms")
    MX = "mx", _("Mx")


class Contact(models.Model):
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    salutation = models.CharField(
        _("salutation"), max_length=20, choices=Salutation.choices, blank=True
    )
    title = models.CharField(
        _("title"), max_length=40, blank=True, help_text=_("academic title, e.g. Dr.")
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    function = models.CharField(_("function"), max_length=150, blank=True)
    department = models.CharField(_("department"), max_length=150, blank=True)
    organisation = models.CharField(
        _("external organisation"),
        max_length=150,
        blank=True,
        help_text=_(
            "for externals such as consultants or planners; empty for the customer's staff"
        ),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    mobile = models.CharField(_("mobile"), max_length=40, blank=True)
    buying_roles = models.ManyToManyField(
        BuyingRole, verbose_name=_("buying roles"), blank=True, related_name="contacts"
    )
    influence = models.CharField(
        _("influence"), max_length=10, choices=Influence.choices, blank=True
    )
    attitude = models.CharField(
        _("attitude towards us"), max_length=10, choices=Attitude.choices, blank=True
    )
    known_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("known by (our staff)"),
        blank=True,
        related_name="known_contacts",
        through="Acquaintance",
    )
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    # what `last_contact_on` shows the later of: the date a person entered by hand, and the
    # latest activity logged with this person (docs/decisions/0009)
    last_contact_noted_on = models.DateField(
        _("last contact, entered by hand"), null=True, blank=True, editable=False
    )
    last_contact_logged_on = models.DateField(
        _("last contact, logged as an activity"), null=True, blank=True, editable=False
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # field → value as the last master-data import brought it: the fields the ERP owns,
    # and what tells a change in Kundenbild from one in the ERP (docs/decisions/0008)
    erp_values = models.JSONField(default=dict, editable=False)

    history = HistoricalRecords(
        m2m_fields=[buying_roles],
        excluded_fields=["erp_values", "last_contact_noted_on", "last_contact_logged_on"],
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["customer", "last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name(self) -> str:
        """The name as a letter would address the person: "Frau Dr. Anna Weber"."""
        parts = (self.get_salutation_display(), self.title, self.first_name, self.last_name)
        return " ".join(str(part) for part in parts if part)

    @property
    def is_external(self) -> bool:
        return bool(self.organisation)


class Closeness(models.TextChoices):
    """How well one of our staff knows a person: the strength of our relationship."""

    SLIGHT = "slight", _("met, slightly")
    GOOD = "good", _("good working relationship")
    CLOSE = "close", _("close, trusted")


class Acquaintance(models.Model):
    """One of our staff knows a person at the customer, this well."""

    contact = models.ForeignKey(
        Contact, verbose_name=_("person"), on_delete=models.CASCADE, related_name="acquaintances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our staff member"),
        on_delete=models.CASCADE,
        related_name="acquaintances",
    )
    closeness = models.CharField(
        _("how well"), max_length=10, choices=Closeness.choices, default=Closeness.SLIGHT
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("our relationship")
        verbose_name_plural = _("our relationships")
        constraints = [
            models.UniqueConstraint(fields=["contact", "user"], name="acquaintance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.contact}"


class RelationKind(models.TextChoices):
    """Formal (the org chart) and informal (who really sways whom) relations, directed."""

    REPORTS_TO = "reports_to", _("reports to")
    INFLUENCES = "influences", _("influences")
    TRUSTS = "trusts", _("trusts")
    OPPOSES = "opposes", _("opposes")


FORMAL_RELATIONS = frozenset({RelationKind.REPORTS_TO})


class ContactRelation(models.Model):
    """`source` <kind> `target`, e.g. "Roth reports to Weber"."""

    source = models.ForeignKey(
        Contact, verbose_name=_("from"), on_delete=models.CASCADE, related_name="relations_out"
    )
    target = models.ForeignKey(
        Contact, verbose_name=_("to"), on_delete=models.CASCADE, related_name="relations_in"
    )
    kind = models.CharField(_("relation"), max_length=12, choices=RelationKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="contact_relation_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="contact_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class BuyingCenter(models.Model):
    """A buying center kept for a business unit or one purchase decision of the customer.

    Without any, the customer's whole set of people is its buying center.
    """

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="buying_centers",
    )
    name = models.CharField(_("name"), max_length=150)
    business_unit = models.ForeignKey(
        "customers.BusinessUnit",
        verbose_name=_("business unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buying_centers",
    )
    decision = models.CharField(
        _("purchase decision"),
        max_length=300,
        blank=True,
        help_text=_("e.g. replacement of the picking system, decision in Q2"),
    )
    members = models.ManyToManyField(
        Contact, verbose_name=_("people"), blank=True, related_name="buying_centers"
    )

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("buying center")
        verbose_name_plural = _("buying centers")
        ordering = ["customer", "name"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "name"], name="buying_center_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
