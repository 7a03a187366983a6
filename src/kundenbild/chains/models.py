"""The problem-solving chain: who, from our supplier to the end user, creates which value.

A chain is kept for one offering, an offering group, one customer or a customer segment.
Its stages run left to right and may branch and merge (each stage names the stages it
follows, so the order is a directed graph without cycles); each stage holds actors, the
companies or groups of companies at that step; flows of goods, services, money and
information run between actors; and for each actor we record the people we know there
and, just as explicitly, the roles we have no contact with.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class ChainScope(models.TextChoices):
    """What the chain is drawn for."""

    OFFERING = "offering", _("one offering")
    OFFERING_GROUP = "offering_group", _("an offering group")
    CUSTOMER = "customer", _("one customer")
    SEGMENT = "segment", _("a customer segment (industry)")


SCOPE_FIELDS: dict[str, str] = {
    ChainScope.OFFERING: "offering",
    ChainScope.OFFERING_GROUP: "offering_group",
    ChainScope.CUSTOMER: "customer",
    ChainScope.SEGMENT: "industry",
}


class Chain(models.Model):
    name = models.CharField(_("name"), max_length=150)
    scope = models.CharField(_("drawn for"), max_length=20, choices=ChainScope.choices)
    offering = models.ForeignKey(
        "offerings.Offering",
        verbose_name=_("offering"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chains",
    )
    offering_group = models.ForeignKey(
        "offerings.OfferingGroup",
        verbose_name=_("offering group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chains",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="chains",
    )
    industry = models.ForeignKey(
        "customers.Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chains",
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "where value is created along the chain, and where our customer's success comes from"
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("problem-solving chain")
        verbose_name_plural = _("problem-solving chains")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Exactly the field that belongs to the scope is set, the others are empty."""
        wanted = SCOPE_FIELDS.get(self.scope)
        errors = {}
        for field in SCOPE_FIELDS.values():
            value = getattr(self, f"{field}_id")
            if field == wanted and value is None:
                errors[field] = _("Choose what the chain is drawn for: %(what)s.") % {
                    "what": getattr(self._meta.get_field(field), "verbose_name", field)
                }
            elif field != wanted and value is not None:
                setattr(self, f"{field}_id", None)
        if errors:
            raise ValidationError(errors)

    @property
    def scope_object(self) -> models.Model | None:
        field = SCOPE_FIELDS.get(self.scope)
        return getattr(self, field) if field else None


class ChainStage(models.Model):
    """One step of the chain; `follows` names the steps right before it (left of it)."""

    chain = models.ForeignKey(
        Chain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="stages"
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    follows = models.ManyToManyField(
        "self",
        verbose_name=_("comes after"),
        symmetrical=False,
        blank=True,
        related_name="followed_by",
    )

    history = HistoricalRecords(m2m_fields=[follows])

    class Meta:
        verbose_name = pgettext_lazy("problem-solving chain", "stage")
        verbose_name_plural = pgettext_lazy("problem-solving chain", "stages")
        ordering = ["chain", "id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "name"], name="chain_stage_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ActorIdentity(models.TextChoices):
    """Who the actor is: ourselves, one of our customers, a named company, or a group."""

    OURSELVES = "ourselves", _("we (our company)")
    CUSTOMER = "customer", _("one of our customers")
    COMPANY = "company", _("a known company")
    GROUP = "group", _("an anonymous group of companies")


class ActorKind(models.TextChoices):
    SUPPLIER = "supplier", _("supplier")
    MANUFACTURER = "manufacturer", _("manufacturer")
    TRADE = "trade", _("trade")
    CRAFT = "craft", _("craft business")
    SERVICE_PARTNER = "service_partner", _("service partner")
    PLANNER = "planner", _("planner, consultant")
    USER = "user", _("user, end customer")
    OTHER = "other", _("other")


class Importance(models.IntegerChoices):
    """How much the chain's success depends on the actor; sizes it on the diagram."""

    MINOR = 1, _("minor")
    LOW = 2, _("low")
    MEDIUM = 3, _("medium")
    HIGH = 4, _("high")
    DECISIVE = 5, _("decisive")


class CompetitivePosition(models.TextChoices):
    LEADER = "leader", _("market leader")
    STRONG = "strong", _("strong")
    AVERAGE = "average", _("average")
    WEAK = "weak", _("weak")
    NICHE = "niche", _("niche player")


class Relationship(models.TextChoices):
    """Our business relationship with the actor; colours it on the diagram."""

    NONE = "none", _("none")
    INDIRECT = "indirect", _("indirect")
    PROSPECT = "prospect", _("prospect")
    CUSTOMER = "customer", _("customer")
    PARTNER = "partner", _("partner")


class ChainActor(models.Model):
    chain = models.ForeignKey(
        Chain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="actors"
    )
    stage = models.ForeignKey(
        ChainStage,
        verbose_name=pgettext_lazy("problem-solving chain", "stage"),
        on_delete=models.CASCADE,
        related_name="actors",
    )
    identity = models.CharField(_("who"), max_length=10, choices=ActorIdentity.choices)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chain_actors",
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("the company's name, or for a group what it is, e.g. “craft businesses”"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActorKind.choices)
    size = models.CharField(
        _("size"), max_length=150, blank=True, help_text=_("e.g. 250 employees, 40 m€ revenue")
    )
    importance = models.PositiveSmallIntegerField(
        _("importance for the chain"), choices=Importance.choices, default=Importance.MEDIUM
    )
    competitive_position = models.CharField(
        _("competitive position"), max_length=10, choices=CompetitivePosition.choices, blank=True
    )
    number = models.PositiveIntegerField(
        _("number"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("how many such companies; 1 for a single company"),
    )
    relationship = models.CharField(
        _("business relationship with us"),
        max_length=10,
        choices=Relationship.choices,
        default=Relationship.NONE,
    )
    success_factors = models.TextField(
        _("success factors"), blank=True, help_text=_("what this actor needs to win")
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["stage", "-importance", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(number__gte=1), name="chain_actor_number_min")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.identity == ActorIdentity.CUSTOMER and self.customer is not None:
            return self.customer.name
        if self.identity == ActorIdentity.OURSELVES and not self.name:
            return str(_("we"))
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.stage_id is not None
            and self.chain_id is not None
            and self.stage.chain_id != self.chain_id
        ):
            errors["stage"] = str(_("This stage belongs to another chain."))
        if self.identity == ActorIdentity.CUSTOMER:
            if self.customer_id is None:
                errors["customer"] = str(_("Choose the customer this actor is."))
        else:
            self.customer_id = None
            if self.identity in (ActorIdentity.COMPANY, ActorIdentity.GROUP) and not self.name:
                errors["name"] = str(
                    _("Name the company.")
                    if self.identity == ActorIdentity.COMPANY
                    else _("Say what the group is, e.g. “about 400 craft businesses”.")
                )
        if self.number is not None and self.number < 1:
            errors["number"] = str(_("The number of actors must be at least 1."))
        if errors:
            raise ValidationError(errors)


class FlowKind(models.TextChoices):
    GOODS = "goods", _("goods")
    SERVICES = "services", _("services")
    MONEY = "money", _("money")
    INFORMATION = "information", _("information")


class ChainFlow(models.Model):
    """Something that passes from one actor of the chain to another."""

    chain = models.ForeignKey(
        Chain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="flows"
    )
    source = models.ForeignKey(
        ChainActor, verbose_name=_("from"), on_delete=models.CASCADE, related_name="flows_out"
    )
    target = models.ForeignKey(
        ChainActor, verbose_name=_("to"), on_delete=models.CASCADE, related_name="flows_in"
    )
    kind = models.CharField(_("what flows"), max_length=12, choices=FlowKind.choices)
    volume = models.CharField(
        _("volume"), max_length=100, blank=True, help_text=_("where known, e.g. 1,200 t a year")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("flow")
        verbose_name_plural = _("flows")
        ordering = ["chain", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="chain_flow_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="chain_flow_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}: {self.get_kind_display()}"


class ActorPerson(models.Model):
    """A person or role at an actor: one we know, or one we explicitly have no contact with."""

    actor = models.ForeignKey(
        ChainActor, verbose_name=_("actor"), on_delete=models.CASCADE, related_name="people"
    )
    contact = models.ForeignKey(
        "buying_center.Contact",
        verbose_name=_("person in the buying center"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chain_roles",
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(
        _("role or function"), max_length=150, blank=True, help_text=_("e.g. head of purchasing")
    )
    in_contact = models.BooleanField(
        _("we have contact"),
        default=True,
        help_text=_("untick for a person or role we do not reach: a blind spot in the chain"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person in the chain")
        verbose_name_plural = _("people in the chain")
        ordering = ["actor", "-in_contact", "role", "name", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        who = str(self.contact) if self.contact is not None else self.name
        if who and self.role:
            return f"{who} ({self.role})"
        return who or self.role
