"""Pages of the problem-solving chains: the list, a chain with its diagram, its history.

Every change is a POST to its own small view that checks the edit permission, calls a
service and goes back to the chain; a refusal re-renders the chain page with the form and
its message, so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.chains.forms import (
    SUGGESTION_SEPARATOR,
    ActorForm,
    ChainForm,
    CopyForm,
    FlowForm,
    PersonForm,
    ProspectForm,
    StageForm,
    customer_label,
)
from kundenbild.chains.history import chain_history
from kundenbild.chains.models import (
    ActorIdentity,
    ActorPerson,
    Chain,
    ChainActor,
    ChainFlow,
    ChainScope,
    ChainStage,
)
from kundenbild.chains.permissions import chain_access, chain_can_edit, chain_create_access
from kundenbild.chains.selectors import (
    chain_diagram,
    chain_list,
    chain_picture,
    customer_suggestions,
    customers_in_chain,
)
from kundenbild.chains.services import (
    ChainData,
    actor_delete,
    actor_make_prospect,
    actor_save,
    chain_copy,
    chain_delete,
    chain_save,
    flow_delete,
    flow_save,
    person_delete,
    person_save,
    stage_delete,
    stage_save,
)
from kundenbild.core.errors import ApplicationError
from kundenbild.core.forms import submit
from kundenbild.core.history import HistoryEntry
from kundenbild.core.numbers import id_from_text
from kundenbild.customers.permissions import customer_access, customer_can_create
from kundenbild.finance.permissions import finance_can_view
from kundenbild.insights.selectors import value_type_choices

PAGE_SIZE = 50
EDIT_ACTOR_IDS = "edit_actor_%s"  # the panel's form beside the page's form for a new actor


def chain_list_view(request: AuthenticatedRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    chains = chain_list(search=search).order_by("name", "pk")
    page = Paginator(chains, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "search": search, "can_create": customer_can_create(request.user)}
    return render(request, "chains/chain_list.html", context)


def chain_create_view(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        form = ChainForm(request.POST)
        chain = submit(form, lambda: _create(request, form))
        if chain is not None:
            messages.success(
                request,
                _("The chain has been created. Add its stages from left to right next."),
            )
            return redirect("chains:detail", chain.pk)
        return render(request, "chains/chain_form.html", {"form": form}, status=400)
    initial: dict[str, Any] = {"scope": ChainScope.CUSTOMER}
    if (customer_id := id_from_text(request.GET.get("customer"))) is not None:
        customer = customer_access(request.user, customer_id, for_edit=True)
        initial |= {"customer": customer_label(customer), "name": customer.name}
    else:
        chain_create_access(request.user, None)
    return render(request, "chains/chain_form.html", {"form": ChainForm(initial=initial)})


def _create(request: AuthenticatedRequest, form: ChainForm) -> Chain:
    return chain_save(data=_allowed_data(request, form), by=request.user)


def _allowed_data(request: AuthenticatedRequest, form: ChainForm) -> ChainData:
    """The chain as entered, if the user may draw a chain for what it names."""
    data = form.to_data()
    chain_create_access(
        request.user, form.cleaned_data.get("customer") if data.customer_id else None
    )
    return data


def chain_edit_view(request: AuthenticatedRequest, chain_id: int) -> HttpResponse:
    chain = chain_access(request.user, chain_id, for_edit=True)
    if request.method == "POST":
        form = ChainForm(request.POST)
        saved = submit(
            form,
            lambda: chain_save(
                data=_allowed_data(request, form),
                by=request.user,
                chain=chain,
                expected_version=form.cleaned_data.get("version"),
            ),
        )
        if saved is not None:
            messages.success(request, _("The chain has been saved."))
            return redirect("chains:detail", chain.pk)
        context = {"form": form, "chain": chain}
        return render(request, "chains/chain_form.html", context, status=400)
    form = ChainForm(initial=ChainForm.initial_for(chain))
    return render(request, "chains/chain_form.html", {"form": form, "chain": chain})


def chain_copy_view(request: AuthenticatedRequest, chain_id: int) -> HttpResponse:
    """A copy of the chain as the starting point for a similar customer or segment."""
    original = chain_access(request.user, chain_id)
    if request.method == "POST":
        form = CopyForm(request.POST)

        chain = submit(
            form,
            lambda: chain_copy(chain=original, data=_allowed_data(request, form), by=request.user),
        )
        if chain is not None:
            messages.success(
                request,
                _("The copy has been created. Adapt its actors and people to the new customer."),
            )
            return redirect("chains:detail", chain.pk)
        context = {"form": form, "original": original}
        return render(request, "chains/chain_form.html", context, status=400)
    initial = CopyForm.initial_for(original) | {
        "name": _("%(name)s (copy)") % {"name": original.name},
        "customer": "",
        "version": None,
    }
    context = {"form": CopyForm(initial=initial), "original": original}
    return render(request, "chains/chain_form.html", context)


@require_POST
def chain_delete_view(request: AuthenticatedRequest, chain_id: int) -> HttpResponse:
    chain = chain_access(request.user, chain_id, for_edit=True)
    chain_delete(chain=chain)
    messages.success(request, _("The chain “%(name)s” has been deleted.") % {"name": chain.name})
    return redirect("chains:list")


def _detail_url(chain: Chain, actor: ChainActor | None = None, anchor: str = "") -> str:
    url = reverse("chains:detail", args=[chain.pk])
    if actor is not None:
        url += f"?actor={actor.pk}"
        anchor = anchor or "actor-panel"
    return url + (f"#{anchor}" if anchor else "")


def _actor_url(actor: ChainActor) -> str:
    return reverse("chains:actor", args=[actor.chain_id, actor.pk])


def _actor_context(
    chain: Chain,
    actor: ChainActor,
    *,
    can_edit: bool,
    actor_form: ActorForm | None = None,
    person_form: PersonForm | None = None,
    prospect_form: ProspectForm | None = None,
) -> dict[str, Any]:
    return {
        "actor": actor,
        "people": list(actor.people.select_related("contact")),
        "edit_form": actor_form
        or ActorForm(initial=ActorForm.initial_for(actor), chain=chain, auto_id=EDIT_ACTOR_IDS),
        "person_form": person_form or PersonForm(actor=actor),
        "prospect_form": prospect_form or ProspectForm(),
        "can_prospect": can_edit and actor.identity == ActorIdentity.COMPANY,
    }


def _page(
    request: AuthenticatedRequest,
    chain: Chain,
    *,
    status: int = 200,
    actor: ChainActor | None = None,
    **forms: Any,
) -> HttpResponse:
    picture = chain_picture(chain)
    can_edit = chain_can_edit(request.user, chain)
    if actor is None and (actor_id := id_from_text(request.GET.get("actor"))) is not None:
        actor = get_object_or_404(ChainActor, pk=actor_id, chain=chain)
    context: dict[str, Any] = {
        "chain": chain,
        "picture": picture,
        "diagram": chain_diagram(picture, actor_url=_actor_url),
        "can_edit": can_edit,
        "customers": customers_in_chain(chain),
        "show_finance": finance_can_view(request.user),
        "value_type_labels": dict(value_type_choices()),
        "stage_form": forms.get("stage_form") or _new_stage_form(chain, picture),
        "actor_form": forms.get("new_actor_form") or ActorForm(chain=chain),
        "flow_form": forms.get("flow_form") or FlowForm(chain=chain),
    }
    if actor is not None:
        context |= _actor_context(
            chain,
            actor,
            can_edit=can_edit,
            actor_form=forms.get("actor_form"),
            person_form=forms.get("person_form"),
            prospect_form=forms.get("prospect_form"),
        )
    return render(request, "chains/chain_detail.html", context, status=status)


def _new_stage_form(chain: Chain, picture: Any) -> StageForm:
    """A new stage comes after the rightmost ones unless the user says otherwise."""
    last = picture.columns[-1] if picture.columns else []
    return StageForm(chain=chain, initial={"follows": [str(v.stage.pk) for v in last]})


def chain_detail_view(request: AuthenticatedRequest, chain_id: int) -> HttpResponse:
    return _page(request, chain_access(request.user, chain_id))


def chain_history_view(request: AuthenticatedRequest, chain_id: int) -> HttpResponse:
    chain = chain_access(request.user, chain_id)
    entries: list[HistoryEntry] = chain_history(chain)
    context = {"chain": chain, "entries": entries, "area_labels": {}}
    return render(request, "chains/chain_history.html", context)


@require_POST
def stage_add_view(request: AuthenticatedRequest, chain_id: int) -> HttpResponse:
    chain = chain_access(request.user, chain_id, for_edit=True)
    form = StageForm(request.POST, chain=chain)
    stage = submit(form, lambda: stage_save(chain=chain, data=form.to_data()))
    if stage is None:
        return _page(request, chain, stage_form=form, status=400)
    messages.success(request, _("The stage “%(name)s” has been added.") % {"name": stage.name})
    return redirect(_detail_url(chain, anchor="stages"))


def stage_edit_view(request: AuthenticatedRequest, chain_id: int, stage_id: int) -> HttpResponse:
    chain = chain_access(request.user, chain_id, for_edit=True)
    stage = get_object_or_404(ChainStage, pk=stage_id, chain=chain)
    if request.method == "POST":
        form = StageForm(request.POST, chain=chain, stage=stage)
        saved = submit(form, lambda: stage_save(chain=chain, data=form.to_data(), stage=stage))
        if saved is not None:
            messages.success(request, _("The stage has been saved."))
            return redirect(_detail_url(chain, anchor="stages"))
        status = 400
    else:
        form = StageForm(initial=StageForm.initial_for(stage), chain=chain, stage=stage)
        status = 200
    context = {"chain": chain, "stage": stage, "form": form}
    return render(request, "chains/stage_form.html", context, status=status)


@require_POST
def stage_delete_view(request: AuthenticatedRequest, chain_id: int, stage_id: int) -> HttpResponse:
    chain = chain_access(request.user, chain_id, for_edit=True)
    stage = get_object_or_404(ChainStage, pk=stage_id, chain=chain)
    try:
        stage_delete(stage=stage)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The stage “%(name)s” has been removed.") % {"name": stage})
    return redirect(_detail_url(chain, anchor="stages"))


@require_POST
def actor_add_view(request: AuthenticatedRequest, chain_id: int) -> HttpResponse:
    chain = chain_access(request.user, chain_id, for_edit=True)
    form = ActorForm(request.POST, chain=chain)
    actor = submit(form, lambda: actor_save(chain=chain, data=form.to_data()))
    if actor is None:
        return _page(request, chain, new_actor_form=form, status=400)
    messages.success(
        request,
        _("%(name)s has been added. Record the people we know there, and those we don't.")
        % {"name": actor.display_name},
    )
    return redirect(_detail_url(chain, actor))


def actor_view(request: AuthenticatedRequest, chain_id: int, actor_id: int) -> HttpResponse:
    """The actor's description and people: beside the diagram (htmx), or the whole page."""
    chain = chain_access(request.user, chain_id)
    actor = get_object_or_404(
        ChainActor.objects.select_related("customer"), pk=actor_id, chain=chain
    )
    if request.method == "POST":
        chain = chain_access(request.user, chain_id, for_edit=True)
        form = ActorForm(request.POST, chain=chain, auto_id=EDIT_ACTOR_IDS)
        saved = submit(
            form,
            lambda: actor_save(
                chain=chain,
                data=form.to_data(),
                actor=actor,
                expected_version=form.cleaned_data.get("version"),
            ),
        )
        if saved is None:
            return _page(request, chain, actor=actor, actor_form=form, status=400)
        messages.success(request, _("%(name)s has been saved.") % {"name": saved.display_name})
        return redirect(_detail_url(chain, saved))
    if getattr(request, "htmx", False):
        can_edit = chain_can_edit(request.user, chain)
        context = {"chain": chain, "can_edit": can_edit}
        context |= _actor_context(chain, actor, can_edit=can_edit)
        return render(request, "chains/_actor_panel.html", context)
    return _page(request, chain, actor=actor)


@require_POST
def actor_delete_view(request: AuthenticatedRequest, chain_id: int, actor_id: int) -> HttpResponse:
    chain = chain_access(request.user, chain_id, for_edit=True)
    actor = get_object_or_404(ChainActor, pk=actor_id, chain=chain)
    actor_delete(actor=actor)
    messages.success(
        request, _("%(name)s has been removed from the chain.") % {"name": actor.display_name}
    )
    return redirect(_detail_url(chain, anchor="actors"))


@require_POST
def actor_prospect_view(
    request: AuthenticatedRequest, chain_id: int, actor_id: int
) -> HttpResponse:
    chain = chain_access(request.user, chain_id, for_edit=True)
    actor = get_object_or_404(ChainActor, pk=actor_id, chain=chain)
    form = ProspectForm(request.POST)

    def create() -> Any:
        chain_create_access(request.user, None)
        return actor_make_prospect(actor=actor, number=form.cleaned_data["number"], by=request.user)

    customer = submit(form, create)
    if customer is None:
        return _page(request, chain, actor=actor, prospect_form=form, status=400)
    messages.success(
        request,
        _("%(name)s is now a customer prospect with the number %(number)s.")
        % {"name": customer.name, "number": customer.number},
    )
    return redirect(_detail_url(chain, actor))


@require_POST
def person_add_view(request: AuthenticatedRequest, chain_id: int, actor_id: int) -> HttpResponse:
    chain = chain_access(request.user, chain_id, for_edit=True)
    actor = get_object_or_404(ChainActor, pk=actor_id, chain=chain)
    form = PersonForm(request.POST, actor=actor)
    person = submit(form, lambda: person_save(actor=actor, data=form.to_data()))
    if person is None:
        return _page(request, chain, actor=actor, person_form=form, status=400)
    messages.success(
        request,
        _("%(person)s has been recorded at %(actor)s.")
        % {"person": person.display_name, "actor": actor.display_name},
    )
    return redirect(_detail_url(chain, actor))


@require_POST
def person_delete_view(
    request: AuthenticatedRequest, chain_id: int, person_id: int
) -> HttpResponse:
    chain = chain_access(request.user, chain_id, for_edit=True)
    person = get_object_or_404(
        ActorPerson.objects.select_related("actor", "contact"), pk=person_id, actor__chain=chain
    )
    person_delete(person=person)
    messages.success(request, _("%(person)s has been removed.") % {"person": person.display_name})
    return redirect(_detail_url(chain, person.actor))


@require_POST
def flow_add_view(request: AuthenticatedRequest, chain_id: int) -> HttpResponse:
    chain = chain_access(request.user, chain_id, for_edit=True)
    form = FlowForm(request.POST, chain=chain)
    flow = submit(form, lambda: flow_save(chain=chain, data=form.to_data()))
    if flow is None:
        return _page(request, chain, flow_form=form, status=400)
    messages.success(request, _("The flow has been added."))
    return redirect(_detail_url(chain, anchor="flows"))


@require_POST
def flow_delete_view(request: AuthenticatedRequest, chain_id: int, flow_id: int) -> HttpResponse:
    chain = chain_access(request.user, chain_id, for_edit=True)
    flow_delete(flow=get_object_or_404(ChainFlow, pk=flow_id, chain=chain))
    messages.success(request, _("The flow has been removed."))
    return redirect(_detail_url(chain, anchor="flows"))


def customer_suggestions_view(request: AuthenticatedRequest) -> HttpResponse:
    """`<option>`s for the customer field's datalist, as the user types."""
    text = request.GET.get("customer") or request.GET.get("q") or ""
    customers = customer_suggestions(text.split(SUGGESTION_SEPARATOR, 1)[0])
    context = {"options": [customer_label(c) for c in customers]}
    return render(request, "chains/_customer_suggestions.html", context)
