from django.urls import path

from kundenbild.buying_center import views

app_name = "buying_center"

urlpatterns = [
    path("customers/<int:customer_id>/", views.buying_center_view, name="buying-center"),
    path(
        "customers/<int:customer_id>/people/<int:contact_id>/",
        views.contact_update_view,
        name="contact-update",
    ),
]
