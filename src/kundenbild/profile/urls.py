"""The customer's picture: the list, the page, its PDF, group, history and area reviews.

The addresses stay under /customers/ (bookmarks and links keep working); only the code
that composes them lives here, above the areas it draws from.
"""

from django.urls import path

from kundenbild.profile import pdf_views, views

app_name = "profile"

urlpatterns = [
    path("customers/", views.customer_list_view, name="customer-list"),
    path(
        "customers/export.xlsx",
        views.customer_list_download_view,
        name="customer-list-download",
    ),
    path("customers/<int:customer_id>/", views.customer_detail_view, name="customer-detail"),
    path(
        "customers/<int:customer_id>/profile.pdf",
        pdf_views.customer_profile_pdf_view,
        name="customer-profile-pdf",
    ),
    path(
        "customers/<int:customer_id>/history/",
        views.customer_history_view,
        name="customer-history",
    ),
    path(
        "customers/<int:customer_id>/group/",
        views.customer_group_view,
        name="customer-group",
    ),
    path(
        "profile/customers/<int:customer_id>/reviews/<str:area>/",
        views.area_review_view,
        name="area-review",
    ),
]
