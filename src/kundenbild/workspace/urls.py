"""Dismissing, snoozing and restoring items of the worklist (the start page is the root
URL); the global search of the top bar."""

from django.urls import path

from kundenbild.workspace import search_views, views

app_name = "workspace"

urlpatterns = [
    path("search/", search_views.search_view, name="search"),
    path(
        "search/suggestions/",
        search_views.search_suggestions_view,
        name="search-suggestions",
    ),
    path("worklist/dismiss/", views.work_item_dismiss_view, name="work-item-dismiss"),
    path("worklist/snooze/", views.work_item_snooze_view, name="work-item-snooze"),
    path(
        "worklist/restore/<int:dismissal_id>/",
        views.work_item_restore_view,
        name="work-item-restore",
    ),
]
