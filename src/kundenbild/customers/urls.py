"""Master data: creating and editing a customer, its company facts, addresses and business
units. The customer's page itself is composed in `profile/`."""

from django.urls import path

from kundenbild.customers import company_views, views

app_name = "customers"

urlpatterns = [
    path("new/", views.CustomerCreateView.as_view(), name="customer-create"),
    path("<int:customer_id>/edit/", views.CustomerUpdateView.as_view(), name="customer-update"),
    path("<int:customer_id>/merge/", views.CustomerMergeView.as_view(), name="customer-merge"),
    path(
        "<int:customer_id>/company/",
        company_views.customer_company_view,
        name="customer-company",
    ),
    path(
        "<int:customer_id>/addresses/",
        company_views.address_create_view,
        name="address-create",
    ),
    path(
        "<int:customer_id>/addresses/<int:address_id>/delete/",
        company_views.address_delete_view,
        name="address-delete",
    ),
    path(
        "<int:customer_id>/business-units/",
        company_views.business_unit_create_view,
        name="business-unit-create",
    ),
    path(
        "<int:customer_id>/business-units/<int:unit_id>/delete/",
        company_views.business_unit_delete_view,
        name="business-unit-delete",
    ),
]
