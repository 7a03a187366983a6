from django.urls import path

from kundenbild.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list_view, name="customer-list"),
    path("new/", views.CustomerCreateView.as_view(), name="customer-create"),
    path("<int:customer_id>/", views.customer_detail_view, name="customer-detail"),
    path("<int:customer_id>/edit/", views.CustomerUpdateView.as_view(), name="customer-update"),
    path("<int:customer_id>/history/", views.customer_history_view, name="customer-history"),
    path("<int:customer_id>/group/", views.customer_group_view, name="customer-group"),
]
