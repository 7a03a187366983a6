"""Customers and offerings created and removed in bulk: by the rules of the one-at-a-time
services, all or none, and each with the history row a save or delete would write."""

from __future__ import annotations

import pytest

from kundenbild.buying_center.models import BuyingCenter, Contact
from kundenbild.core.bulk import history_write, ids_in_use
from kundenbild.core.errors import RecordsRefusedError
from kundenbild.customers.models import Customer
from kundenbild.customers.services import (
    CustomerData,
    customers_check_many,
    customers_create_many,
    customers_delete_unused,
)
from kundenbild.offerings.models import Offering, OfferingGroup
from kundenbild.offerings.services import (
    OfferingData,
    offerings_check_many,
    offerings_create_many,
    offerings_delete_unused,
)
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def test_customers_created_in_bulk_each_get_the_history_row_a_save_would_write(users) -> None:
    data = [CustomerData(number=f"K-{i}", name=f" Werk {i} GmbH ") for i in range(3)]
    created = customers_create_many(customers_check_many(data), by=users["admin"], reason="r")
    assert [c.name for c in created] == ["Werk 0 GmbH", "Werk 1 GmbH", "Werk 2 GmbH"]
    for customer in created:
        (row,) = Customer.history.filter(id=customer.pk)
        assert (row.history_type, row.history_user, row.history_change_reason) == (
            "+",
            users["admin"],
            "r",
        )
        assert (row.number, row.name, row.created_at) == (
            customer.number,
            customer.name,
            customer.created_at,
        )
        assert row.owner_id is None  # a batch does not make its author the account manager


def test_one_bad_record_refuses_the_whole_batch_and_names_each(users) -> None:
    CustomerFactory(number="K-1")
    data = [
        CustomerData(number="K-2", name="Zwei GmbH"),
        CustomerData(number="K-1", name="Schon da GmbH"),
        CustomerData(number="K\t3", name="Tab GmbH"),
        CustomerData(number="K-2", name="Zweimal GmbH"),
        CustomerData(number="K-4", name="Steuer GmbH", vat_id="DE123"),
    ]
    checked = customers_check_many(data)
    assert [(r.index, r.field) for r in checked.refused] == [
        (1, "number"),
        (2, "number"),
        (3, "number"),
        (4, "vat_id"),
    ]
    assert "existiert bereits" in checked.refused[0].message
    assert "keine gültige Kundennummer" in checked.refused[1].message
    with pytest.raises(RecordsRefusedError) as refused:
        customers_create_many(checked, by=users["admin"], reason="r")
    assert len(refused.value.refused) == 4
    assert list(Customer.objects.values_list("number", flat=True)) == ["K-1"]
    assert Customer.history.count() == 1  # the factory's


def test_only_customers_nobody_worked_on_are_deleted_each_with_its_history_row(users) -> None:
    data = [CustomerData(number=f"K-{i}", name=f"Werk {i}") for i in range(4)]
    untouched, with_people, changed, parent = customers_create_many(
        customers_check_many(data), by=None, reason="r"
    )
    ContactFactory(customer=with_people)
    changed.name = "Umbenannt"
    changed.save()
    CustomerFactory(parent=parent)
    ids = [untouched.pk, with_people.pk, changed.pk, parent.pk]
    deleted = customers_delete_unused(ids, by=users["admin"], reason="weg")
    assert deleted == [untouched.pk]
    assert not Customer.objects.filter(pk=untouched.pk).exists()
    assert Customer.objects.filter(pk__in=ids).count() == 3
    gone = Customer.history.filter(id=untouched.pk).order_by("history_id")
    assert [(h.history_type, h.history_change_reason, h.history_user) for h in gone] == [
        ("+", "r", None),
        ("-", "weg", users["admin"]),
    ]
    assert gone[1].name == "Werk 0"


def test_offerings_are_checked_and_created_in_bulk_with_a_new_group(users) -> None:
    data = [
        OfferingData(number=n, name_de=n, name_en="", group_name="Neu", kind="product")
        for n in ("A-1", "A-2")
    ]
    checked = offerings_check_many(data)
    assert not checked.refused
    assert not OfferingGroup.objects.exists()  # checking writes nothing
    created = offerings_create_many(checked, by=users["admin"], reason="r")
    assert {o.group.name_de for o in created} == {"Neu"}
    assert Offering.history.filter(history_type="+", history_change_reason="r").count() == 2
    bad = offerings_check_many([*data[:1], OfferingData("B-1", "", "", "Neu", "gadget")])
    assert {(r.index, r.field) for r in bad.refused} == {(0, "number"), (1, "kind"), (1, "name_de")}
    assert offerings_delete_unused([o.pk for o in created], by=None, reason="weg") == [
        o.pk for o in created
    ]
    assert not Offering.objects.exists()
    assert Offering.history.filter(history_type="-").count() == 2


def test_a_history_row_written_in_bulk_keeps_the_many_to_many_links(users) -> None:
    """Without the links, the history would say a person lost their buying roles in the
    bulk-written row and got them back with the next save."""
    person = ContactFactory(roles=["decider", "buyer"])
    other = ContactFactory(roles=["user"])
    history_write(Contact, [person.pk, other.pk], kind="~", by=users["admin"], reason="r")
    written = person.history.filter(history_change_reason="r").get()
    assert sorted(link.buyingrole.code for link in written.buying_roles.all()) == [
        "buyer",
        "decider",
    ]
    assert written.diff_against(written.prev_record).changes == []
    assert other.history.filter(history_change_reason="r").get().buying_roles.count() == 1


def test_a_person_who_is_only_a_member_of_a_buying_center_is_in_use() -> None:
    """Found through the membership table: the many-to-many field has no column to look
    in (PostgreSQL refused the query; SQLite read the quoted name as a string)."""
    member, alone = ContactFactory(), ContactFactory()
    center = BuyingCenter.objects.create(customer=member.customer, name="Lager")
    center.members.add(member)
    assert ids_in_use(Contact, [member.pk, alone.pk]) == {member.pk}
