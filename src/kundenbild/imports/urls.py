from django.urls import path

from kundenbild.imports import master_views, views

app_name = "imports"

urlpatterns = [
    path("", views.imports_view, name="index"),
    path("upload/", views.upload_view, name="upload"),
    path("costs/", views.cost_upload_view, name="costs"),
    path("uploads/<str:token>/", views.import_run_view, name="run"),
    path(
        "master-uploads/<str:token>/",
        master_views.master_import_run_view,
        name="master-run",
    ),
    path("<int:run_id>/rollback/", views.rollback_view, name="rollback"),
]
