"""factory-boy factories for the test suite."""

from __future__ import annotations

from typing import Any

import factory

from kundenbild.accounts.models import User
from kundenbild.accounts.services import role_get, roles_ensure_standard
from kundenbild.buying_center.models import BuyingRole, Contact
from kundenbild.customers.models import Address, AddressKind, Customer
from kundenbild.finance.models import SalesLine


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        role_code = "kam"

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery")

    @factory.lazy_attribute
    def role(self) -> Any:
        roles_ensure_standard()
        return role_get(self.role_code)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Testwerk {n} GmbH")
    legal_form = "GmbH"

    @factory.post_generation
    def headquarters(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            Address.objects.create(
                customer=self,
                kind=AddressKind.HEADQUARTERS,
                street="Industriestraße 1",
                postal_code="80331",
                city=extracted or "München",
            )


class SalesLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesLine

    customer = factory.SubFactory(CustomerFactory)
    invoice_number = factory.Sequence(lambda n: f"R{n:07d}")
    line_number = 1
    invoice_date = factory.Faker("date_between", start_date="-3y", end_date="today")
    article_number = "A-10001"
    quantity = 10
    net_revenue = 1000
    cost_of_goods = 600
    discount = 20
    freight = 15


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    customer = factory.SubFactory(CustomerFactory)
    first_name = factory.Sequence(lambda n: f"Vorname{n}")
    last_name = factory.Sequence(lambda n: f"Person{n}")

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.buying_roles.set(BuyingRole.objects.filter(code__in=extracted))
