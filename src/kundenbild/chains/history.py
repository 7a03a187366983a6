"""The change history of problem-solving chains: the chain and everything inside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from kundenbild.buying_center.models import Contact
from kundenbild.chains.models import (
    ActorIdentity,
    ActorPerson,
    Chain,
    ChainActor,
    ChainFlow,
    ChainStage,
)
from kundenbild.core.history import (
    HistoryEntry,
    HistoryNames,
    history_entries,
    ids_ever,
    latest_records,
    prefixed,
)

Source = tuple[type[models.Model], Any, Callable[[Any], str]]


def chain_sources(chain_ids: list[int], names: HistoryNames) -> list[Source]:
    """The history records of the chains with these ids, with how to name each change."""
    actor_ids = ids_ever(ChainActor, chain_id__in=chain_ids)
    actor_names = {
        r.id: r.name or (str(_("we")) if r.identity == ActorIdentity.OURSELVES else "")
        for r in ChainActor.history.filter(id__in=actor_ids).order_by("history_date")
    }

    def actor(pk: int) -> str:
        return actor_names.get(pk) or f"#{pk}"

    def flow(record: Any) -> str:
        text = f"{actor(record.source_id)} → {actor(record.target_id)}"
        return prefixed(ChainFlow, f"{text}: {record.get_kind_display()}")

    def person(record: Any) -> str:
        who = names.of(Contact, record.contact_id) if record.contact_id else record.name
        return prefixed(ActorPerson, f"{actor(record.actor_id)}: {who or record.role}")

    return [
        (Chain, Chain.history.filter(id__in=chain_ids), lambda r: prefixed(Chain, r.name)),
        (
            ChainStage,
            ChainStage.history.filter(chain_id__in=chain_ids),
            lambda r: prefixed(ChainStage, r.name),
        ),
        (
            ChainActor,
            ChainActor.history.filter(chain_id__in=chain_ids),
            lambda r: prefixed(ChainActor, actor_names.get(r.id) or r.name or f"#{r.id}"),
        ),
        (ChainFlow, ChainFlow.history.filter(chain_id__in=chain_ids), flow),
        (ActorPerson, ActorPerson.history.filter(actor_id__in=actor_ids), person),
    ]


def chain_history(chain: Chain, *, area: str = "chains", limit: int = 300) -> list[HistoryEntry]:
    """Every change to the chain, its stages, actors, flows and people, newest first."""
    names = HistoryNames()
    entries: list[HistoryEntry] = []
    for model, records, subject in chain_sources([chain.pk], names):
        entries += history_entries(latest_records(records, limit), model, area, subject, names)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
