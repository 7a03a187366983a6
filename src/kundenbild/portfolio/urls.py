"""The customer portfolio, the selection of customers by goal (with their Excel files), and
the coaching focus of the customers chosen."""

from django.urls import path
from django.views.generic import RedirectView

from kundenbild.portfolio import selection_views, views

app_name = "portfolio"

urlpatterns = [
    path("", views.portfolio_view, name="portfolio"),
    path("portfolio.xlsx", views.portfolio_download_view, name="portfolio-download"),
    path("selection/", selection_views.selection_view, name="selection"),
    path("selection.xlsx", selection_views.selection_download_view, name="selection-download"),
    path("coaching/", views.focus_list_view, name="focus-list"),
    path("coaching/add/<int:customer_id>/", views.focus_add_view, name="focus-add"),
    path("coaching/<int:focus_id>/close/", views.focus_close_view, name="focus-close"),
]

# where the pages were until the layering step: bookmarks keep working, filters included
moved = [
    path(
        "insights/selection/",
        RedirectView.as_view(pattern_name="portfolio:selection", query_string=True),
    ),
    path(
        "insights/portfolio/",
        RedirectView.as_view(pattern_name="portfolio:portfolio", query_string=True),
    ),
    path("insights/focus/", RedirectView.as_view(pattern_name="portfolio:focus-list")),
]
