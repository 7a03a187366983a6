from django.urls import path

from kundenbild.buying_center import views

app_name = "buying_center"

person = "customers/<int:customer_id>/people/<int:contact_id>/"

urlpatterns = [
    path("coverage/", views.coverage_list_view, name="coverage"),
    path("customers/<int:customer_id>/", views.buying_center_view, name="buying-center"),
    path(
        "customers/<int:customer_id>/centers/",
        views.buying_center_create_view,
        name="center-create",
    ),
    path(
        "customers/<int:customer_id>/centers/<int:center_id>/delete/",
        views.buying_center_delete_view,
        name="center-delete",
    ),
    path(person, views.contact_update_view, name="contact-update"),
    path(f"{person}delete/", views.contact_delete_view, name="contact-delete"),
    path(f"{person}relations/", views.relation_add_view, name="relation-add"),
    path(
        f"{person}relations/<int:relation_id>/delete/",
        views.relation_delete_view,
        name="relation-delete",
    ),
    path(f"{person}acquaintances/", views.acquaintance_set_view, name="acquaintance-set"),
    path(
        f"{person}acquaintances/<int:acquaintance_id>/delete/",
        views.acquaintance_delete_view,
        name="acquaintance-delete",
    ),
]
