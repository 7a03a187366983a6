"""What needs a user's attention for their customers: the worklist of the start page.

A user's customers are those they own or whose account team they are in; for a sales
lead the changes in value cover every customer. Each item names the customer, says what
happened and links to the place where it is handled; the user can dismiss it with a
reason. Items of the analysis compare the latest finished run with the one before, so
they report changes, not states: a customer that has been shrinking for a year is not
news, one that just turned shrinking is. A customer the previous run did not know counts
as changed.

Each item has a key naming its occurrence (the run, the person's last contact, the review
date). A dismissal hides exactly that occurrence; when the matter happens anew it comes
back. A snooze hides it until a day, and then it comes back by itself.

The list is ordered by what is at stake (`ranking`): the customer's value in the latest
analysis times the item's urgency, a customer's items together.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.db.models import F, FloatField, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from kundenbild.accounts.capabilities import Capability, has_capability
from kundenbild.accounts.models import User
from kundenbild.activities.selectors import follow_ups_open
from kundenbild.buying_center.models import BuyingRoleCode, Contact
from kundenbild.buying_center.selectors import STALE_AFTER_DAYS
from kundenbild.customers.models import Customer
from kundenbild.finance.permissions import finance_can_view
from kundenbild.insights.models import AnalysisRun, CustomerValue
from kundenbild.insights.selectors import latest_run, previous_run
from kundenbild.portfolio.models import CoachingFocus
from kundenbild.profile.health import reviews_due
from kundenbild.workspace.models import WorkItemDismissal, WorkItemKind
from kundenbild.workspace.ranking import overdue_days, priority, rank, stake
from kundenbild.workspace.work_items import (
    KIND_ORDER,
    NO_STAKE,
    KindCount,
    Stake,
    WorkItem,
    Worklist,
)

# P(alive) counts as dropped when it fell by this much, or from at least to below LOW
P_ALIVE_DROP = Decimal("0.20")
P_ALIVE_LOW = Decimal("0.50")


def my_customers(user: User) -> QuerySet[Customer]:
    """The customers a user owns or works on in the account team."""
    return Customer.objects.filter(Q(owner=user) | Q(account_team=user))


def watched_customers(user: User) -> QuerySet[Customer]:
    """Whose changes in value reach the user: a sales lead (who may edit every customer)
    steers the whole portfolio; everybody else their own customers."""
    if has_capability(user, Capability.EDIT_ALL_CUSTOMERS):
        return Customer.objects.all()
    return my_customers(user)


def worklist(user: User, *, today: date | None = None) -> Worklist:
    """Everything that needs the user's attention, most at stake first, without what
    they dismissed or snoozed until after `today`."""
    today = today or timezone.localdate()
    items = [
        *_analysis_items(user),
        *_decider_items(user, today),
        *_coaching_items(user, today),
        *_follow_up_items(user, today),
        *_profile_items(user, today),
    ]
    dismissed, snoozed = _put_aside(user, today)
    shown = [item for item in items if item.key not in dismissed and item.key not in snoozed]
    counted = Counter(item.kind for item in shown)
    counts = [
        KindCount(kind=str(kind), label=str(kind.label), count=counted[kind])
        for kind in KIND_ORDER
        if counted[kind]
    ]
    keys = {item.key for item in items}
    stakes = _stakes(user, sorted({item.customer_id for item in shown}))
    return Worklist(
        items=_ranked(shown, stakes, today),
        counts=counts,
        dismissed=len(dismissed & keys),
        snoozed=len(snoozed & keys),
        stakes=stakes,
    )


def _put_aside(user: User, today: date) -> tuple[set[str], set[str]]:
    """The keys the user dismissed, and those they snoozed until after today."""
    dismissed: set[str] = set()
    snoozed: set[str] = set()
    decisions = WorkItemDismissal.objects.filter(user=user, restored_at__isnull=True)
    for key, until in decisions.values_list("key", "snoozed_until"):
        if until is None:
            dismissed.add(key)
        elif until > today:
            snoozed.add(key)
    return dismissed, snoozed


def _ranked(items: list[WorkItem], stakes: dict[int, Stake], today: date) -> list[WorkItem]:
    """The items in the order of `ranking.rank`: the stake times the urgency."""
    stake_of = {customer_id: stake(*known) for customer_id, known in stakes.items()}
    unknown = stake(*NO_STAKE)
    return rank(
        items,
        customer=lambda i: i.customer_id,
        priority_of=lambda i: priority(
            stake_of.get(i.customer_id, unknown), i.kind, overdue_days(i.since, today)
        ),
        tiebreak=lambda i: i.customer_name,
    )


def _stakes(user: User, customer_ids: Sequence[int]) -> dict[int, Stake]:
    """Per customer of the latest run: the value at stake (the larger of the revenue of the
    last 12 months and its forecast) where the user may see finance, and the ABC class."""
    run = latest_run()
    if run is None:
        return {}
    values = CustomerValue.objects.filter(run=run)
    if finance_can_view(user):
        larger = Greatest("revenue_12m", Coalesce("forecast_revenue_12m", "revenue_12m"))
        values = values.annotate(stake=Cast(larger, FloatField()))
    else:
        values = values.annotate(stake=Value(None, output_field=FloatField()))
    fields = ("customer_id", "stake", "abc_revenue")
    if len(customer_ids) > 9_000:  # many: one pass over the run beats many IN lists
        wanted = set(customer_ids)
        rows = (row for row in values.values_list(*fields).iterator(10_000) if row[0] in wanted)
    else:  # few: IN lists within SQLite's parameter limit
        rows = (
            row
            for start in range(0, len(customer_ids), 900)
            for row in values.filter(customer_id__in=customer_ids[start : start + 900]).values_list(
                *fields
            )
        )
    return {customer_id: Stake(value, abc) for customer_id, value, abc in rows}


def _analysis_items(user: User) -> list[WorkItem]:
    """Changes between the latest two runs: turned shrinking, bell past its peak,
    P(alive) dropped, and (for finance users) margin turned negative."""
    run = latest_run()
    if run is None:
        return []
    fields = (
        "customer_id",
        "customer__name",
        "value_type",
        "lifecycle_phase",
        "p_alive",
        "contribution_margin_12m",
    )
    # only the values that can report something: the comparison needs few of them
    with_margin = finance_can_view(user)
    candidates = (
        Q(value_type="shrinking")
        | Q(value_type="bell", lifecycle_phase="phase_out")
        | Q(p_alive__lte=1 - P_ALIVE_DROP)
        | Q(p_alive__lt=P_ALIVE_LOW)
    )
    if with_margin:
        candidates |= Q(contribution_margin_12m__lt=0)
    now = CustomerValue.objects.filter(
        candidates, run=run, customer_id__in=watched_customers(user).values("pk")
    ).values_list(*fields)
    before_run = previous_run(run)
    before: dict[int, tuple[Any, ...]] = {}
    if before_run is not None:
        rows = CustomerValue.objects.filter(
            run=before_run, customer_id__in=now.values("customer_id")
        )
        before = {row[0]: row for row in rows.values_list(*fields).iterator(5_000)}
    items: list[WorkItem] = []
    for row in now.iterator(5_000):
        items.extend(_changes(row, before.get(row[0]), run, with_margin=with_margin))
    return items


def _changes(
    row: tuple[Any, ...], was: tuple[Any, ...] | None, run: AnalysisRun, *, with_margin: bool
) -> Iterable[WorkItem]:
    customer_id, name, value_type, phase, p_alive, margin = row
    _id, _name, type_before, phase_before, p_before, margin_before = was or (None,) * 6

    def item(kind: WorkItemKind, **facts: Any) -> WorkItem:
        return WorkItem(
            kind=kind,
            key=f"{kind}:{customer_id}:{run.pk}",
            customer_id=customer_id,
            customer_name=name,
            since=run.as_of,
            facts=facts,
        )

    if value_type == "shrinking" and type_before != "shrinking":
        yield item(WorkItemKind.TYPE_SHRINKING, before=type_before)
    if (value_type, phase) == ("bell", "phase_out") and (type_before, phase_before) != (
        "bell",
        "phase_out",
    ):
        yield item(WorkItemKind.BELL_PAST_PEAK)
    if (
        p_alive is not None
        and p_before is not None
        and (p_before - p_alive >= P_ALIVE_DROP or p_alive < P_ALIVE_LOW <= p_before)
    ):
        yield item(WorkItemKind.P_ALIVE_DROPPED, before=p_before, now=p_alive)
    if (
        with_margin
        and margin is not None
        and margin < 0
        and not (margin_before is not None and margin_before < 0)
    ):
        yield item(WorkItemKind.MARGIN_NEGATIVE, margin=margin)


def _decider_items(user: User, today: date) -> Iterable[WorkItem]:
    """Deciders whom none of us knows, or whom nobody has spoken to for half a year; one
    item per customer, so a large buying center does not flood the list."""
    stale_before = today - timedelta(days=STALE_AFTER_DAYS)
    deciders = (
        Contact.objects.filter(
            customer__in=my_customers(user).values("pk"),
            buying_roles__code=BuyingRoleCode.DECIDER,
        )
        .annotate(known=Max("acquaintances__pk"))
        .filter(
            Q(known__isnull=True)
            | Q(last_contact_on__isnull=True)
            | Q(last_contact_on__lt=stale_before)
        )
        .order_by("customer_id", F("last_contact_on").asc(nulls_first=True), "last_name")
        .values_list(
            "customer_id",
            "customer__name",
            "pk",
            "first_name",
            "last_name",
            "known",
            "last_contact_on",
        )
    )
    for customer_id, group in groupby(deciders, key=lambda row: row[0]):
        rows = list(group)
        people = [
            (f"{first} {last}".strip(), known is not None, last_contact)
            for _c, _n, _pk, first, last, known, last_contact in rows
        ]
        state = ",".join(f"{row[2]}/{row[5] is not None}/{row[6] or 'never'}" for row in rows)
        contacts = [row[6] for row in rows]
        yield WorkItem(
            kind=WorkItemKind.DECIDER_WITHOUT_CONTACT,
            key=f"{WorkItemKind.DECIDER_WITHOUT_CONTACT}:{customer_id}:{_digest(state)}",
            customer_id=customer_id,
            customer_name=rows[0][1],
            since=None if None in contacts else contacts[0],
            facts={"people": people},
        )


def _digest(text: str) -> str:
    """A short stable name for a state too long for a key."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _coaching_items(user: User, today: date) -> Iterable[WorkItem]:
    focus_list = CoachingFocus.objects.filter(
        owner=user, closed_on__isnull=True, review_on__lte=today
    ).select_related("customer")
    for focus in focus_list:
        yield WorkItem(
            kind=WorkItemKind.COACHING_REVIEW_DUE,
            key=f"{WorkItemKind.COACHING_REVIEW_DUE}:{focus.pk}:{focus.review_on}",
            customer_id=focus.customer_id,
            customer_name=focus.customer.name,
            since=focus.review_on,
            facts={"focus": focus.pk, "goal": focus.get_goal_display(), "day": focus.review_on},
        )


def _follow_up_items(user: User, today: date) -> Iterable[WorkItem]:
    due, _upcoming = follow_ups_open(user=user, today=today)
    for activity in due:
        yield WorkItem(
            kind=WorkItemKind.FOLLOW_UP_DUE,
            key=f"{WorkItemKind.FOLLOW_UP_DUE}:{activity.pk}:{activity.follow_up_on}",
            customer_id=activity.customer_id,
            customer_name=activity.customer.name,
            since=activity.follow_up_on,
            facts={"next_step": activity.next_step or activity.subject},
            activity_id=activity.pk,
        )


def _profile_items(user: User, today: date) -> Iterable[WorkItem]:
    """The owner's customers with profile areas whose review is due, since the day the
    first of them fell due."""
    for due in reviews_due(owner=user, today=today, include_finance=finance_can_view(user)):
        yield WorkItem(
            kind=WorkItemKind.PROFILE_STALE,
            key=f"{WorkItemKind.PROFILE_STALE}:{due.customer_id}:{due.last_review or 'never'}",
            customer_id=due.customer_id,
            customer_name=due.name,
            since=due.since,
            facts={"count": len(due.areas)},
        )


def dismissal_list(user: User, *, limit: int = 20) -> list[WorkItemDismissal]:
    """The user's latest dismissals, restored ones included: the history of decisions."""
    return list(WorkItemDismissal.objects.filter(user=user).select_related("customer")[:limit])
