from django.urls import path

from kundenbild.offerings import views

app_name = "offerings"

urlpatterns = [
    path("", views.catalogue_view, name="catalogue"),
    path("new/", views.offering_create_view, name="offering-create"),
    path("matrix/", views.matrix_view, name="matrix"),
    path(
        "customers/<int:customer_id>/", views.customer_fascination_view, name="customer-fascination"
    ),
    path("customers/<int:customer_id>/assess/", views.assessment_save_view, name="assessment-save"),
    path(
        "customers/<int:customer_id>/assessments/<int:assessment_id>/delete/",
        views.assessment_delete_view,
        name="assessment-delete",
    ),
]
