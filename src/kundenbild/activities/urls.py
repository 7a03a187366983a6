from django.urls import path

from kundenbild.activities import views

app_name = "activities"

urlpatterns = [
    path(
        "customers/<int:customer_id>/", views.customer_activities_view, name="customer-activities"
    ),
    path("customers/<int:customer_id>/new/", views.activity_create_view, name="activity-create"),
    path("<int:activity_id>/edit/", views.activity_update_view, name="activity-update"),
    path("<int:activity_id>/delete/", views.activity_delete_view, name="activity-delete"),
    path("<int:activity_id>/done/", views.follow_up_done_view, name="follow-up-done"),
]
