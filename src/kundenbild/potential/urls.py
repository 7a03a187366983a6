from django.urls import path

from kundenbild.potential import views

app_name = "potential"

customer = "customers/<int:customer_id>/"

urlpatterns = [
    path(customer, views.customer_potential_view, name="customer-potential"),
    path(f"{customer}needs/<int:need_id>/", views.need_update_view, name="need-update"),
    path(f"{customer}needs/<int:need_id>/delete/", views.need_delete_view, name="need-delete"),
    path(f"{customer}needs/<int:need_id>/demands/", views.demand_add_view, name="demand-add"),
    path(
        f"{customer}demands/<int:demand_id>/delete/",
        views.demand_delete_view,
        name="demand-delete",
    ),
    path(
        f"{customer}demands/<int:demand_id>/effective/",
        views.effective_set_view,
        name="effective-set",
    ),
    path(
        f"{customer}effective/<int:effective_id>/delete/",
        views.effective_delete_view,
        name="effective-delete",
    ),
]
