"""Company master data: the first of the five areas of the customer profile."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kundenbild.customers.validators import (
    validate_customer_number,
    validate_german_postal_code,
    validate_register_number,
    validate_vat_id,
)
from kundenbild.identifiers import normalize_vat_id, parse_register_number

MAX_GROUP_DEPTH = 12


class LegalForm(models.TextChoices):
    GMBH = "GmbH", "GmbH"
    UG = "UG (haftungsbeschränkt)", "UG (haftungsbeschränkt)"
    AG = "AG", "AG"
    SE = "SE", "SE"
    KG = "KG", "KG"
    GMBH_CO_KG = "GmbH & Co. KG", "GmbH & Co. KG"
    OHG = "OHG", "OHG"
    EK = "e.K.", "e.K."
    GBR = "GbR", "GbR"
    EG = "eG", "eG"
    KGAA = "KGaA", "KGaA"
    EV = "e.V.", "e.V."
    PUBLIC = "public", _("Public body")
    SOLE_TRADER = "sole", _("Sole trader")
    FOREIGN = "foreign", _("Foreign legal form")


class SizeClass(models.TextChoices):
    """EU size classes (Recommendation 2003/361/EC), by head count."""

    MICRO = "micro", _("Micro (fewer than 10 employees)")
    SMALL = "small", _("Small (10–49 employees)")
    MEDIUM = "medium", _("Medium-sized (50–249 employees)")
    LARGE = "large", _("Large (250 employees or more)")

    @classmethod
    def for_employees(cls, employees: int | None) -> str:
        if employees is None:
            return ""
        if employees < 10:
            return cls.MICRO
        if employees < 50:
            return cls.SMALL
        if employees < 250:
            return cls.MEDIUM
        return cls.LARGE


class Industry(models.Model):
    """A WZ 2008 division (two-digit code), the level at which customers are classified."""

    code = models.CharField(_("WZ 2008 code"), max_length=8, primary_key=True)
    section = models.CharField(_("section"), max_length=1)
    name_de = models.CharField(_("German name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") else self.name_de


class Customer(models.Model):
    number = models.CharField(
        _("customer number"), max_length=40, unique=True, validators=[validate_customer_number]
    )
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(
        _("legal form"), max_length=40, choices=LegalForm.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("group parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
    )
    industries = models.ManyToManyField(
        Industry, verbose_name=_("industries"), blank=True, related_name="customers"
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    size_class = models.CharField(_("size"), max_length=10, choices=SizeClass.choices, blank=True)
    website = models.URLField(_("website"), blank=True)
    register_court = models.CharField(_("register court"), max_length=100, blank=True)
    register_number = models.CharField(
        _("register number"), max_length=30, blank=True, validators=[validate_register_number]
    )
    vat_id = models.CharField(
        _("VAT number"), max_length=20, blank=True, validators=[validate_vat_id]
    )
    notes = models.TextField(_("notes"), blank=True)
    segment = models.CharField(
        _("customer segment"),
        max_length=60,
        blank=True,
        help_text=_("the customer group or class the ERP gives it"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_customers",
    )
    account_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account team"),
        blank=True,
        related_name="team_customers",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # created by a sales import for a number it did not know; a customer import fills it in
    master_data_missing = models.BooleanField(_("no master data yet"), default=False)
    # field → value as the last master-data import brought it: the fields the ERP owns,
    # and what tells a change in Kundenbild from one in the ERP (docs/decisions/0008)
    erp_values = models.JSONField(default=dict, editable=False)

    history = HistoricalRecords(
        m2m_fields=[industries, account_team], excluded_fields=["erp_values"]
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="customer_name_lower")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.vat_id:
            self.vat_id = normalize_vat_id(self.vat_id)
        if self.register_number:
            with contextlib.suppress(ValueError):  # the field validator reports it
                self.register_number = str(parse_register_number(self.register_number))
        if self.register_number and not self.register_court:
            raise ValidationError(
                {"register_court": _("Name the register court of the register number.")}
            )
        if self.employees is not None and not self.size_class:
            self.size_class = SizeClass.for_employees(self.employees)
        self._check_parent()

    def _check_parent(self) -> None:
        """Refuse an unknown parent, and one that would make the group hierarchy a cycle."""
        node_id = self.parent_id
        depth = 0
        while node_id is not None:
            if self.pk is not None and node_id == self.pk:
                raise ValidationError(
                    {"parent": _("A company cannot be its own parent, directly or through others.")}
                )
            depth += 1
            if depth > MAX_GROUP_DEPTH:
                raise ValidationError({"parent": _("The group hierarchy is too deep.")})
            found = Customer.objects.filter(pk=node_id).values_list("parent_id", flat=True)
            if not found:
                raise ValidationError({"parent": _("The parent company does not exist.")})
            node_id = found[0]

    def group_root(self) -> Customer:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    @property
    def headquarters(self) -> Address | None:
        return next(
            (a for a in self.addresses.all() if a.kind == AddressKind.HEADQUARTERS),
            None,
        )


class AddressKind(models.TextChoices):
    HEADQUARTERS = "headquarters", _("Headquarters")
    BILLING = "billing", _("Billing address")
    DELIVERY = "delivery", _("Delivery address")
    SITE = "site", _("Site")


class Address(models.Model):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="addresses"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AddressKind.choices, default=AddressKind.HEADQUARTERS
    )
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=12)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="DE")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["customer", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(kind="headquarters"),
                name="address_one_headquarters",
            )
        ]

    def __str__(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"

    def clean(self) -> None:
        self.country = self.country.upper()
        other_headquarters = Address.objects.filter(
            customer_id=self.customer_id, kind=AddressKind.HEADQUARTERS
        ).exclude(pk=self.pk)
        if self.kind == AddressKind.HEADQUARTERS and other_headquarters.exists():
            raise ValidationError(
                {
                    "kind": _(
                        "This customer has a headquarters already. Change that address instead."
                    )
                }
            )
        self.check_postal_code()

    def check_postal_code(self) -> None:
        """The postal code fits the country (for now: a German one has five digits)."""
        if self.country.upper() == "DE":
            try:
                validate_german_postal_code(self.postal_code)
            except ValidationError as error:
                raise ValidationError({"postal_code": error}) from None


class BusinessUnit(models.Model):
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="business_units",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("business unit")
        verbose_name_plural = _("business units")
        ordering = ["customer", "name"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "name"], name="business_unit_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CustomerMerge(models.Model):
    """The record of a duplicate merged into the customer that remains (`customer_merge`):
    which customer went, what moved where, and the master data it had, which the
    survivor's replaced. It outlives both customers, so it names them by number."""

    survivor = models.ForeignKey(
        Customer,
        verbose_name=_("remaining customer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="merges",
    )
    survivor_number = models.CharField(
        _("customer number of the remaining customer"), max_length=40
    )
    duplicate_id = models.BigIntegerField(_("id of the merged customer"))
    duplicate_number = models.CharField(_("customer number of the merged customer"), max_length=40)
    duplicate_name = models.CharField(_("name of the merged customer"), max_length=200)
    merged_at = models.DateTimeField(_("merged at"), default=timezone.now)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # model label → rows that referred to the duplicate and refer to the survivor now
    moved = models.JSONField(_("rows moved"), default=dict, encoder=DjangoJSONEncoder)
    # model label → rows of the duplicate deleted because the survivor had the same one
    dropped = models.JSONField(_("rows dropped"), default=dict, encoder=DjangoJSONEncoder)
    # the duplicate's master data as it was: field → value, industries, account team
    snapshot = models.JSONField(_("master data"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("customer merge")
        verbose_name_plural = _("customer merges")
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.duplicate_number} → {self.survivor_number}"
