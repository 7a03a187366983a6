from django.urls import path

from kundenbild.insights import views

app_name = "insights"

urlpatterns = [
    path("runs/", views.run_list_view, name="run-list"),
    path("runs/start/", views.run_start_view, name="run-start"),
    path("runs/<int:run_id>/progress/", views.run_progress_view, name="run-progress"),
    path("value-types/", views.value_types_help_view, name="value-types-help"),
]
