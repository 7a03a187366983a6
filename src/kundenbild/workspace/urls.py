"""Dismissing, snoozing and restoring items of the worklist (the start page is the root URL)."""

from django.urls import path

from kundenbild.workspace import views

app_name = "workspace"

urlpatterns = [
    path("worklist/dismiss/", views.work_item_dismiss_view, name="work-item-dismiss"),
    path("worklist/snooze/", views.work_item_snooze_view, name="work-item-snooze"),
    path(
        "worklist/restore/<int:dismissal_id>/",
        views.work_item_restore_view,
        name="work-item-restore",
    ),
]
