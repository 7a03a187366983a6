from django.urls import path

from kundenbild.finance import views

app_name = "finance"

urlpatterns = [
    path("overhead-rates/", views.overhead_rates_view, name="overhead-rates"),
    path("customers/<int:customer_id>/", views.customer_finance_view, name="customer-finance"),
    path(
        "customers/<int:customer_id>/profile/",
        views.finance_profile_save_view,
        name="profile-save",
    ),
    path(
        "customers/<int:customer_id>/conditions/",
        views.condition_create_view,
        name="condition-create",
    ),
    path(
        "customers/<int:customer_id>/conditions/<int:condition_id>/delete/",
        views.condition_delete_view,
        name="condition-delete",
    ),
]
