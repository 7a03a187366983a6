"""`/api/customers/{id}/contacts` and friends: the buying center through the REST API.

People, their relations, who of us knows them how well, buying centers per business unit
or purchase decision, and the coverage, with the same permissions as the pages.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kundenbild.accounts.models import User
from kundenbild.accounts.requests import acting_user
from kundenbild.buying_center.models import (
    Acquaintance,
    Attitude,
    BuyingCenter,
    BuyingRoleCode,
    Closeness,
    Contact,
    ContactRelation,
    Influence,
    RelationKind,
    Salutation,
)
from kundenbild.buying_center.permissions import buying_center_access
from kundenbild.buying_center.selectors import (
    buying_center_coverage,
    buying_center_list,
    contact_list,
    relation_list,
)
from kundenbild.buying_center.services import (
    BuyingCenterData,
    ContactData,
    acquaintance_set,
    buying_center_delete,
    buying_center_save,
    contact_delete,
    contact_save,
    relation_add,
    relation_delete,
)
from kundenbild.core.api_schema import ERRORS, Id, InputSchema
from kundenbild.core.errors import ApplicationError

router = Router(tags=["customers: buying center"])
contact_router = Router(tags=["buying center: people"])
relation_router = Router(tags=["buying center: people"])
center_router = Router(tags=["buying center: people"])


class AcquaintanceOut(Schema):
    username: str
    closeness: Closeness

    @staticmethod
    def resolve_username(obj: Acquaintance) -> str:
        return obj.user.username


class ContactOut(Schema):
    id: int
    customer_id: int
    salutation: Salutation | None
    title: str
    first_name: str
    last_name: str
    function: str
    department: str
    organisation: str
    email: str
    phone: str
    mobile: str
    roles: list[BuyingRoleCode]
    influence: Influence | None
    attitude: Attitude | None
    known_by: list[AcquaintanceOut]
    last_contact_on: date | None
    buying_center_ids: list[int]
    version: int

    @staticmethod
    def resolve_roles(obj: Contact) -> list[str]:
        return [r.code for r in obj.buying_roles.all()]

    @staticmethod
    def resolve_salutation(obj: Contact) -> str | None:
        return obj.salutation or None

    @staticmethod
    def resolve_influence(obj: Contact) -> str | None:
        return obj.influence or None

    @staticmethod
    def resolve_attitude(obj: Contact) -> str | None:
        return obj.attitude or None

    @staticmethod
    def resolve_known_by(obj: Contact) -> list[Acquaintance]:
        return list(obj.acquaintances.all())

    @staticmethod
    def resolve_buying_center_ids(obj: Contact) -> list[int]:
        return sorted(c.pk for c in obj.buying_centers.all())


class ContactIn(InputSchema):
    salutation: Salutation | None = None
    title: str = Field("", max_length=40, description="academic title, e.g. Dr.")
    first_name: str = Field("", max_length=100)
    last_name: str = Field(..., min_length=1, max_length=100)
    function: str = Field("", max_length=150)
    department: str = Field("", max_length=150)
    organisation: str = Field("", max_length=150, description="for externals only")
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    mobile: str = Field("", max_length=40)
    roles: list[BuyingRoleCode] = Field(default_factory=list)
    influence: Influence | None = None
    attitude: Attitude | None = None
    known_by: list[str] = Field(
        default_factory=list,
        description="usernames of our staff who know the person; how well is set separately",
    )
    last_contact_on: date | None = None
    buying_center_ids: list[int] | None = Field(
        None, description="buying centers of this customer the person belongs to; omit to keep"
    )
    version: int | None = Field(
        None, description="on update: the version you read; refused (409) if it changed"
    )


class RelationOut(Schema):
    id: int
    source_id: int
    target_id: int
    kind: RelationKind
    note: str


class RelationIn(InputSchema):
    target_id: int
    kind: RelationKind
    note: str = Field("", max_length=300)


class AcquaintanceIn(InputSchema):
    closeness: Closeness


class BuyingCenterOut(Schema):
    id: int
    name: str
    business_unit_id: int | None
    decision: str
    member_ids: list[int]

    @staticmethod
    def resolve_member_ids(obj: BuyingCenter) -> list[int]:
        return sorted(c.pk for c in obj.members.all())


class BuyingCenterIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=150)
    business_unit_id: int | None = None
    decision: str = Field("", max_length=300)


class CoverageOut(Schema):
    roles_filled: list[str]
    roles_missing: list[str]
    unknown_key_people: list[int]
    single_threaded: list[int]
    stale: list[int]


def _contact(user: User, contact_id: int, *, for_edit: bool = False) -> Contact:
    contact = get_object_or_404(Contact.objects.only("pk", "customer_id"), pk=contact_id)
    customer = buying_center_access(user, contact.customer_id, for_edit=for_edit)
    return get_object_or_404(contact_list(customer=customer), pk=contact_id)


def _data(payload: ContactIn) -> ContactData:
    users = User.objects.filter(username__in=payload.known_by, is_active=True)
    missing = set(payload.known_by) - set(users.values_list("username", flat=True))
    if missing:
        raise ApplicationError(
            _("Unknown or inactive users: %(names)s") % {"names": ", ".join(sorted(missing))},
            field="known_by",
        )
    return ContactData(
        first_name=payload.first_name,
        last_name=payload.last_name,
        function=payload.function,
        department=payload.department,
        organisation=payload.organisation,
        email=payload.email,
        phone=payload.phone,
        salutation=payload.salutation.value if payload.salutation else "",
        title=payload.title,
        mobile=payload.mobile,
        role_codes=tuple(r.value for r in payload.roles),
        influence=payload.influence.value if payload.influence else "",
        attitude=payload.attitude.value if payload.attitude else "",
        known_by_ids=tuple(users.values_list("pk", flat=True)),
        last_contact_on=payload.last_contact_on,
        buying_center_ids=None
        if payload.buying_center_ids is None
        else tuple(payload.buying_center_ids),
    )


@router.get("/{customer_id}/contacts", response={200: list[ContactOut], **ERRORS})
def list_contacts(request: HttpRequest, customer_id: int) -> list[Contact]:
    return list(contact_list(customer=buying_center_access(acting_user(request), customer_id)))


@router.post("/{customer_id}/contacts", response={201: ContactOut, **ERRORS})
def create_contact(request: HttpRequest, customer_id: int, payload: ContactIn) -> Status[Contact]:
    customer = buying_center_access(acting_user(request), customer_id, for_edit=True)
    contact = contact_save(customer=customer, data=_data(payload))
    return Status(201, get_object_or_404(contact_list(customer=customer), pk=contact.pk))


@contact_router.get("/{contact_id}", response={200: ContactOut, **ERRORS})
def get_contact(request: HttpRequest, contact_id: int) -> Contact:
    return _contact(acting_user(request), contact_id)


@contact_router.put("/{contact_id}", response={200: ContactOut, **ERRORS})
def update_contact(request: HttpRequest, contact_id: int, payload: ContactIn) -> Contact:
    contact = _contact(acting_user(request), contact_id, for_edit=True)
    contact_save(
        customer=contact.customer,
        data=_data(payload),
        contact=contact,
        expected_version=payload.version,
    )
    return get_object_or_404(contact_list(customer=contact.customer), pk=contact.pk)


@contact_router.delete("/{contact_id}", response={204: None, **ERRORS})
def delete_contact(request: HttpRequest, contact_id: int) -> Status[None]:
    contact_delete(contact=_contact(acting_user(request), contact_id, for_edit=True))
    return Status(204, None)


@contact_router.put("/{contact_id}/known-by/{username}", response={200: AcquaintanceOut, **ERRORS})
def put_acquaintance(
    request: HttpRequest, contact_id: int, username: str, payload: AcquaintanceIn
) -> Acquaintance:
    contact = _contact(acting_user(request), contact_id, for_edit=True)
    user = get_object_or_404(User, username=username)
    return acquaintance_set(contact=contact, user=user, closeness=payload.closeness.value)


@contact_router.delete("/{contact_id}/known-by/{username}", response={204: None, **ERRORS})
def delete_acquaintance(request: HttpRequest, contact_id: int, username: str) -> Status[None]:
    contact = _contact(acting_user(request), contact_id, for_edit=True)
    get_object_or_404(Acquaintance, contact=contact, user__username=username).delete()
    return Status(204, None)


@router.get("/{customer_id}/relations", response={200: list[RelationOut], **ERRORS})
def list_relations(request: HttpRequest, customer_id: int) -> list[ContactRelation]:
    customer = buying_center_access(acting_user(request), customer_id)
    return relation_list(contacts=list(Contact.objects.filter(customer=customer)))


@contact_router.post("/{contact_id}/relations", response={201: RelationOut, **ERRORS})
def create_relation(
    request: HttpRequest, contact_id: int, payload: RelationIn
) -> Status[ContactRelation]:
    source = _contact(acting_user(request), contact_id, for_edit=True)
    target = get_object_or_404(Contact, pk=payload.target_id, customer_id=source.customer_id)
    relation = relation_add(
        source=source, target=target, kind=payload.kind.value, note=payload.note
    )
    return Status(201, relation)


@relation_router.delete("/{relation_id}", response={204: None, **ERRORS})
def delete_relation(request: HttpRequest, relation_id: int) -> Status[None]:
    relation = get_object_or_404(ContactRelation.objects.select_related("source"), pk=relation_id)
    buying_center_access(acting_user(request), relation.source.customer_id, for_edit=True)
    relation_delete(relation=relation)
    return Status(204, None)


@router.get("/{customer_id}/buying-centers", response={200: list[BuyingCenterOut], **ERRORS})
def list_buying_centers(request: HttpRequest, customer_id: int) -> list[BuyingCenter]:
    customer = buying_center_access(acting_user(request), customer_id)
    return list(buying_center_list(customer=customer).prefetch_related("members"))


@router.post("/{customer_id}/buying-centers", response={201: BuyingCenterOut, **ERRORS})
def create_buying_center(
    request: HttpRequest, customer_id: int, payload: BuyingCenterIn
) -> Status[BuyingCenter]:
    customer = buying_center_access(acting_user(request), customer_id, for_edit=True)
    data = BuyingCenterData(
        name=payload.name, business_unit_id=payload.business_unit_id, decision=payload.decision
    )
    return Status(201, buying_center_save(customer=customer, data=data))


@center_router.delete("/{center_id}", response={204: None, **ERRORS})
def delete_buying_center(request: HttpRequest, center_id: int) -> Status[None]:
    center = get_object_or_404(BuyingCenter, pk=center_id)
    buying_center_access(acting_user(request), center.customer_id, for_edit=True)
    buying_center_delete(buying_center=center)
    return Status(204, None)


@router.get("/{customer_id}/coverage", response={200: CoverageOut, **ERRORS})
def get_coverage(
    request: HttpRequest, customer_id: int, buying_center_id: Id | None = None
) -> CoverageOut:
    customer = buying_center_access(acting_user(request), customer_id)
    center = (
        get_object_or_404(BuyingCenter, pk=buying_center_id, customer=customer)
        if buying_center_id is not None
        else None
    )
    coverage = buying_center_coverage(
        list(contact_list(customer=customer, buying_center=center)), today=timezone.localdate()
    )
    return CoverageOut(
        roles_filled=coverage.roles_filled,
        roles_missing=coverage.roles_missing,
        unknown_key_people=[c.pk for c in coverage.unknown_key_people],
        single_threaded=[c.pk for c in coverage.single_threaded],
        stale=[c.pk for c in coverage.stale],
    )
