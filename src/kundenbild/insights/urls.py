from django.urls import path

from kundenbild.insights import views

app_name = "insights"

urlpatterns = [
    path("runs/", views.run_list_view, name="run-list"),
    path("runs/start/", views.run_start_view, name="run-start"),
    path("runs/<int:run_id>/progress/", views.run_progress_view, name="run-progress"),
    path("selection/", views.selection_view, name="selection"),
    path("portfolio/", views.portfolio_view, name="portfolio"),
    path("portfolio.xlsx", views.portfolio_download_view, name="portfolio-download"),
    path("focus/", views.focus_list_view, name="focus-list"),
    path("focus/add/<int:customer_id>/", views.focus_add_view, name="focus-add"),
    path("focus/<int:focus_id>/close/", views.focus_close_view, name="focus-close"),
    path("worklist/dismiss/", views.work_item_dismiss_view, name="work-item-dismiss"),
    path(
        "worklist/restore/<int:dismissal_id>/",
        views.work_item_restore_view,
        name="work-item-restore",
    ),
    path("selection.xlsx", views.selection_download_view, name="selection-download"),
]
