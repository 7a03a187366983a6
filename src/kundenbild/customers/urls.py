from django.urls import path

from kundenbild.customers import company_views, pdf_views, views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list_view, name="customer-list"),
    path("export.xlsx", views.customer_list_download_view, name="customer-list-download"),
    path("new/", views.CustomerCreateView.as_view(), name="customer-create"),
    path("<int:customer_id>/", views.customer_detail_view, name="customer-detail"),
    path(
        "<int:customer_id>/profile.pdf",
        pdf_views.customer_profile_pdf_view,
        name="customer-profile-pdf",
    ),
    path("<int:customer_id>/edit/", views.CustomerUpdateView.as_view(), name="customer-update"),
    path("<int:customer_id>/history/", views.customer_history_view, name="customer-history"),
    path("<int:customer_id>/group/", views.customer_group_view, name="customer-group"),
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
