from django.urls import path

from kundenbild.chains import diagram_views, views

app_name = "chains"

chain = "<int:chain_id>/"
actor = f"{chain}actors/<int:actor_id>/"

urlpatterns = [
    path("", views.chain_list_view, name="list"),
    path("new/", views.chain_create_view, name="create"),
    path("customer-suggestions/", views.customer_suggestions_view, name="customer-suggestions"),
    path(chain, views.chain_detail_view, name="detail"),
    path(f"{chain}edit/", views.chain_edit_view, name="edit"),
    path(f"{chain}copy/", views.chain_copy_view, name="copy"),
    path(f"{chain}delete/", views.chain_delete_view, name="delete"),
    path(f"{chain}history/", views.chain_history_view, name="history"),
    path("<int:chain_id>/diagram.svg", diagram_views.chain_diagram_svg_view, name="diagram-svg"),
    path(f"{chain}stages/", views.stage_add_view, name="stage-add"),
    path(f"{chain}stages/<int:stage_id>/", views.stage_edit_view, name="stage-edit"),
    path(f"{chain}stages/<int:stage_id>/delete/", views.stage_delete_view, name="stage-delete"),
    path(f"{chain}actors/", views.actor_add_view, name="actor-add"),
    path(actor, views.actor_view, name="actor"),
    path(f"{actor}delete/", views.actor_delete_view, name="actor-delete"),
    path(f"{actor}prospect/", views.actor_prospect_view, name="actor-prospect"),
    path(f"{actor}people/", views.person_add_view, name="person-add"),
    path(f"{chain}people/<int:person_id>/delete/", views.person_delete_view, name="person-delete"),
    path(f"{chain}flows/", views.flow_add_view, name="flow-add"),
    path(f"{chain}flows/<int:flow_id>/delete/", views.flow_delete_view, name="flow-delete"),
]
