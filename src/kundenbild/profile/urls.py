from django.urls import path

from kundenbild.profile import views

app_name = "profile"

urlpatterns = [
    path(
        "customers/<int:customer_id>/reviews/<str:area>/",
        views.area_review_view,
        name="area-review",
    ),
]
