"""The scope of a selection: which customers it looks at before anything is ranked.

The seed's first step of customer care: "for which product, which service or which kinds
of customer do you want to improve the relationships?" A scope narrows the selection, the
portfolio and their Excel files to an offering (or an offering group), value types and
lifecycle phases, an industry, a size class, a postal region, a key account manager or
the customers of a problem-solving chain. It is stored with a coaching focus created from
it (`as_json`), so the focus says what it was chosen from.

Customers "of an offering" are those with demand for it (needs and potential entered) or
sales of it; for them the selection computes white space and share of wallet for that
offering alone (`offering_wallet`), the figures the customer's potential page shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.models import User
from kundenbild.analytics.shapes.phases import PHASES
from kundenbild.analytics.shapes.value_types import VALUE_TYPES
from kundenbild.chains.models import Chain, ChainScope
from kundenbild.core.errors import ApplicationError
from kundenbild.customers.models import Address, AddressKind, Customer, Industry, SizeClass
from kundenbild.finance.models import SalesLine
from kundenbild.insights.models import (
    PHASE_CHOICES,
    PHASE_LABELS,
    VALUE_TYPE_CHOICES,
    VALUE_TYPE_LABELS,
)
from kundenbild.offerings.models import Offering, OfferingGroup
from kundenbild.potential.models import Demand, EffectiveDemand

REGIONS = tuple(str(digit) for digit in range(10))  # German postal zones: first digit


class Wallet(NamedTuple):
    """A customer's potential in some offerings, our revenue in them, the white space."""

    potential: float
    revenue: float
    white_space: float


@dataclass(frozen=True)
class Scope:
    """What the selection looks at; an empty field does not narrow."""

    offering: str = ""  # article number
    offering_group: int | None = None
    value_types: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    industry: str = ""  # WZ 2008 division code
    size_class: str = ""
    region: str = ""  # postal zone: first digit of the headquarters' postal code
    owner: int | None = None  # user id of the key account manager
    chain: int | None = None

    @property
    def is_empty(self) -> bool:
        return not any(asdict(self).values())

    @property
    def narrows_customers(self) -> bool:
        """Whether anything but the value types and phases narrows (those are judged per
        analysis run, the rest from the profile)."""
        return bool(self.customer_conditions())

    def customer_conditions(self) -> dict[str, Any]:
        fields = asdict(self)
        return {
            name: value
            for name, value in fields.items()
            if value and name not in {"value_types", "phases"}
        }

    def as_json(self) -> dict[str, Any]:
        """The scope as stored with a coaching focus: only what narrows."""
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in asdict(self).items()
            if value
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Scope:
        """A stored scope; what no longer fits is left out rather than failing."""
        data = data or {}

        def text(name: str) -> str:
            value = data.get(name, "")
            return value if isinstance(value, str) else ""

        def number(name: str) -> int | None:
            value = data.get(name)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        def codes(name: str, known: tuple[str, ...]) -> tuple[str, ...]:
            value = data.get(name, [])
            return tuple(v for v in value if v in known) if isinstance(value, list) else ()

        return cls(
            offering=text("offering"),
            offering_group=number("offering_group"),
            value_types=codes("value_types", VALUE_TYPES),
            phases=codes("phases", PHASES),
            industry=text("industry"),
            size_class=text("size_class"),
            region=text("region"),
            owner=number("owner"),
            chain=number("chain"),
        )


def scope_from_input(
    *,
    offering: str = "",
    offering_group: str = "",
    value_types: Sequence[str] = (),
    phases: Sequence[str] = (),
    industry: str = "",
    size_class: str = "",
    region: str = "",
    owner: str = "",
    chain: str = "",
) -> Scope:
    """A scope from what a user typed (CLI, API, page): an article number, an offering
    group's id or German name, WZ code, size class, postal zone, a user name, e-mail or
    id, and a chain's id or name. Raises ApplicationError naming the field that does not
    fit."""
    offering, offering_group = offering.strip(), offering_group.strip()
    if offering and not Offering.objects.filter(number=offering).exists():
        raise ApplicationError(
            _("There is no offering with the article number %(number)s.") % {"number": offering},
            field="offering",
        )
    group = None
    if offering_group:
        by_id = Q(pk=int(offering_group)) if offering_group.isdigit() else Q(pk__in=[])
        found = OfferingGroup.objects.filter(by_id | Q(name_de__iexact=offering_group)).first()
        if found is None:
            raise ApplicationError(
                _("There is no offering group %(name)s.") % {"name": offering_group},
                field="offering_group",
            )
        group = found.pk
    for given, known, name in ((value_types, VALUE_TYPES, "value_type"), (phases, PHASES, "phase")):
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise ApplicationError(
                _("%(code)s is unknown; choose from %(choices)s.")
                % {"code": unknown[0], "choices": ", ".join(known)},
                field=name,
            )
    industry = industry.strip()
    if industry and not Industry.objects.filter(code=industry).exists():
        raise ApplicationError(
            _("There is no industry with the WZ 2008 code %(code)s.") % {"code": industry},
            field="industry",
        )
    if size_class and size_class not in SizeClass.values:
        raise ApplicationError(
            _("%(code)s is unknown; choose from %(choices)s.")
            % {"code": size_class, "choices": ", ".join(SizeClass.values)},
            field="size_class",
        )
    if region and region not in REGIONS:
        raise ApplicationError(_("The region is a postal zone, 0 to 9."), field="region")
    return Scope(
        offering=offering,
        offering_group=group,
        value_types=tuple(dict.fromkeys(value_types)),
        phases=tuple(dict.fromkeys(phases)),
        industry=industry,
        size_class=size_class,
        region=region,
        owner=_user_id(owner.strip()) if owner.strip() else None,
        chain=_chain_id(chain.strip()) if chain.strip() else None,
    )


def _user_id(text: str) -> int:
    by_id = Q(pk=int(text)) if text.isdigit() else Q(pk__in=[])
    found = User.objects.filter(by_id | Q(username=text) | Q(email__iexact=text)).first()
    if found is None:
        raise ApplicationError(
            _("There is no user %(name)s.") % {"name": text}, field="owner", code="unknown_user"
        )
    return found.pk


def _chain_id(text: str) -> int:
    by_id = Q(pk=int(text)) if text.isdigit() else Q(pk__in=[])
    found = Chain.objects.filter(by_id | Q(name__iexact=text)).order_by("pk").first()
    if found is None:
        raise ApplicationError(
            _("There is no problem-solving chain %(name)s.") % {"name": text}, field="chain"
        )
    return found.pk


def scope_offerings(scope: Scope) -> list[Offering]:
    """The offerings the scope names: one, or all of a group (both when both are set)."""
    if not scope.offering and scope.offering_group is None:
        return []
    query = Q(pk__in=[])
    if scope.offering:
        query |= Q(number=scope.offering)
    if scope.offering_group is not None:
        query |= Q(group_id=scope.offering_group)
    return list(Offering.objects.filter(query).order_by("number"))


def offering_customers(offerings: list[Offering]) -> Q:
    """Customers with demand for one of the offerings, or sales of it (as a condition on
    Customer, so that a scope of 100,000 customers stays one query)."""
    numbers = [offering.number for offering in offerings]
    return Q(pk__in=Demand.objects.filter(offering__in=offerings).values("need__customer_id")) | Q(
        pk__in=SalesLine.objects.filter(article_number__in=numbers).values("customer_id")
    )


def scope_customers(scope: Scope) -> QuerySet[Customer] | None:
    """The customers the scope's profile conditions allow (None: every customer); value
    types and phases are not applied here, they belong to an analysis run."""
    if not scope.narrows_customers:
        return None
    customers = Customer.objects.all()
    if scope.industry:
        customers = customers.filter(pk__in=_industry_members(scope.industry))
    if scope.size_class:
        customers = customers.filter(size_class=scope.size_class)
    if scope.region:
        customers = customers.filter(
            pk__in=Address.objects.filter(
                kind=AddressKind.HEADQUARTERS, postal_code__startswith=scope.region
            ).values("customer_id")
        )
    if scope.owner is not None:
        customers = customers.filter(owner_id=scope.owner)
    if scope.offering or scope.offering_group is not None:
        customers = customers.filter(offering_customers(scope_offerings(scope)))
    if scope.chain is not None:
        customers = customers.filter(chain_customers(scope.chain))
    return customers


def scope_customer_ids(scope: Scope) -> set[int] | None:
    """The ids of `scope_customers` (None: every customer)."""
    customers = scope_customers(scope)
    return None if customers is None else set(customers.values_list("pk", flat=True))


def _industry_members(code: str) -> QuerySet[Any]:
    return Customer.industries.through.objects.filter(industry_id=code).values("customer_id")


def chain_customers(chain_id: int) -> Q:
    """The customers of a problem-solving chain: those placed in it as actors, the one it
    is drawn for, and for a chain of an offering, offering group or industry, the
    customers of that offering, group or industry."""
    chain = Chain.objects.filter(pk=chain_id).first()
    if chain is None:
        return Q(pk__in=[])
    found = Q(pk__in=chain.actors.exclude(customer=None).values("customer_id"))
    if chain.scope == ChainScope.CUSTOMER and chain.customer_id is not None:
        found |= Q(pk=chain.customer_id)
    elif chain.scope == ChainScope.OFFERING and chain.offering is not None:
        found |= offering_customers([chain.offering])
    elif chain.scope == ChainScope.OFFERING_GROUP and chain.offering_group_id is not None:
        found |= offering_customers(list(Offering.objects.filter(group_id=chain.offering_group_id)))
    elif chain.scope == ChainScope.SEGMENT and chain.industry_id is not None:
        found |= Q(pk__in=_industry_members(chain.industry_id))
    return found


def offering_wallet(offerings: list[Offering], year: int) -> dict[int, Wallet]:
    """Per customer: the potential of these offerings in the year, our revenue in them and
    the white space, as the potential page counts them (`potential.selectors.summarise`):
    per offering, our revenue is the year's sales lines of its article number, else the
    revenue entered with the demand, and its white space is never below 0. Only customers
    with potential for one of them appear."""
    by_number = {offering.pk: offering.number for offering in offerings}
    demand = (
        EffectiveDemand.objects.filter(year=year, demand__offering__in=offerings)
        .values("demand__need__customer_id", "demand__offering_id")
        .annotate(potential=Sum("amount"), entered=Sum("our_revenue"))
        .order_by()
    )
    sold = {
        (row["customer_id"], row["article_number"]): float(row["revenue"] or 0)
        for row in SalesLine.objects.filter(
            invoice_date__year=year, article_number__in=list(by_number.values())
        )
        .values("customer_id", "article_number")
        .annotate(revenue=Sum("net_revenue"))
        .order_by()
    }
    wallet: dict[int, Wallet] = {}
    for row in demand:
        customer = row["demand__need__customer_id"]
        potential = float(row["potential"] or 0)
        ours = sold.get((customer, by_number[row["demand__offering_id"]]))
        if ours is None:
            ours = float(row["entered"] or 0)
        before = wallet.get(customer, Wallet(0.0, 0.0, 0.0))
        wallet[customer] = Wallet(
            before.potential + potential,
            before.revenue + ours,
            before.white_space + max(potential - ours, 0.0),
        )
    return wallet


def scope_lines(scope: Scope) -> list[tuple[str, str]]:
    """The scope in words, a (what, which) pair per condition, for the page and the CLI."""
    lines: list[tuple[str, str]] = []
    if scope.offering:
        offering = Offering.objects.filter(number=scope.offering).first()
        lines.append((str(_("Offering")), str(offering) if offering else scope.offering))
    if scope.offering_group is not None:
        group = OfferingGroup.objects.filter(pk=scope.offering_group).first()
        lines.append((str(_("Offering group")), str(group) if group else "?"))
    if scope.value_types:
        names = ", ".join(str(VALUE_TYPE_LABELS.get(code, code)) for code in scope.value_types)
        lines.append((str(_("Value type")), names))
    if scope.phases:
        names = ", ".join(str(PHASE_LABELS.get(code, code)) for code in scope.phases)
        lines.append((str(_("Lifecycle phase")), names))
    if scope.industry:
        industry = Industry.objects.filter(code=scope.industry).first()
        lines.append((str(_("Industry")), str(industry) if industry else scope.industry))
    if scope.size_class:
        lines.append((str(_("Size")), str(dict(SizeClass.choices).get(scope.size_class, ""))))
    if scope.region:
        lines.append((str(_("Region")), str(_("postal zone %(zone)s") % {"zone": scope.region})))
    if scope.owner is not None:
        user = User.objects.filter(pk=scope.owner).first()
        name = (user.get_full_name() or user.username) if user else "?"
        lines.append((str(_("Key account manager")), name))
    if scope.chain is not None:
        chain = Chain.objects.filter(pk=scope.chain).first()
        lines.append((str(_("Problem-solving chain")), chain.name if chain else "?"))
    return lines


def scope_options() -> dict[str, Any]:
    """What the scope's fields offer: offerings by group, the industries, size classes,
    regions, key account managers and chains in use."""
    offerings = Offering.objects.select_related("group").order_by("group__name_de", "number")
    return {
        "offerings": list(offerings.only("number", "name_de", "name_en", "group")),
        "offering_groups": list(OfferingGroup.objects.order_by("name_de")),
        "value_types": VALUE_TYPE_CHOICES,
        "phases": PHASE_CHOICES,
        "industries": list(Industry.objects.filter(customers__isnull=False).distinct()),
        "size_classes": SizeClass.choices,
        "regions": REGIONS,
        "owners": list(
            User.objects.filter(owned_customers__isnull=False).distinct().order_by("last_name")
        ),
        "chains": list(Chain.objects.order_by("name").only("pk", "name")),
    }
