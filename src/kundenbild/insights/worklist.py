"""What needs a user's attention for their customers: the worklist of the start page.

A user's customers are those they own or whose account team they are in. Each item
names the customer, says what happened and links to the place where it is handled; the
user can dismiss it with a reason. Items of the analysis compare the latest finished run
with the one before, so they report changes, not states: a customer that has been
shrinking for a year is not news, one that just turned shrinking is. A customer the
previous run did not know counts as changed.

Each item has a key naming its occurrence (the run, the person's last contact, the review
date). A dismissal hides exactly that occurrence; when the matter happens anew it comes
back.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kundenbild.accounts.models import User
from kundenbild.activities.selectors import follow_ups_open
from kundenbild.buying_center.models import BuyingRoleCode, Contact
from kundenbild.buying_center.selectors import STALE_AFTER_DAYS
from kundenbild.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from kundenbild.customers.models import Customer
from kundenbild.finance.permissions import finance_can_view
from kundenbild.insights.models import (
    VALUE_TYPE_LABELS,
    AnalysisRun,
    CoachingFocus,
    CustomerValue,
    WorkItemDismissal,
    WorkItemKind,
)
from kundenbild.insights.portfolio import previous_run
from kundenbild.insights.selectors import latest_run
from kundenbild.profile.health import reviews_due

# P(alive) counts as dropped when it fell by this much, or from at least to below LOW
P_ALIVE_DROP = Decimal("0.20")
P_ALIVE_LOW = Decimal("0.50")

# the order of the list: what costs money first, then what is due, relationships, upkeep
KIND_ORDER = [
    WorkItemKind.MARGIN_NEGATIVE,
    WorkItemKind.TYPE_SHRINKING,
    WorkItemKind.BELL_PAST_PEAK,
    WorkItemKind.P_ALIVE_DROPPED,
    WorkItemKind.FOLLOW_UP_DUE,
    WorkItemKind.COACHING_REVIEW_DUE,
    WorkItemKind.DECIDER_WITHOUT_CONTACT,
    WorkItemKind.PROFILE_STALE,
]
KIND_ICONS = {
    WorkItemKind.MARGIN_NEGATIVE: "bi-cash-coin text-danger",
    WorkItemKind.TYPE_SHRINKING: "bi-graph-down-arrow text-danger",
    WorkItemKind.BELL_PAST_PEAK: "bi-bell text-warning",
    WorkItemKind.P_ALIVE_DROPPED: "bi-heart-pulse text-danger",
    WorkItemKind.DECIDER_WITHOUT_CONTACT: "bi-person-exclamation text-warning",
    WorkItemKind.COACHING_REVIEW_DUE: "bi-bullseye text-primary",
    WorkItemKind.FOLLOW_UP_DUE: "bi-alarm text-danger",
    WorkItemKind.PROFILE_STALE: "bi-flag text-warning",
}
MAX_SUMMARY = 300


@dataclass(frozen=True)
class WorkItem:
    kind: str
    key: str
    customer_id: int
    customer_name: str
    text: str  # what happened, in the user's language
    url: str  # where it is handled
    action: str  # the link's label
    since: date | None  # when it happened or fell due
    activity_id: int | None = None  # a follow-up can be marked done right away

    @property
    def kind_label(self) -> str:
        return str(WorkItemKind(self.kind).label)

    @property
    def icon(self) -> str:
        return KIND_ICONS[WorkItemKind(self.kind)]


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class Worklist:
    items: list[WorkItem]  # not dismissed, most pressing first
    counts: list[KindCount]  # per kind with items, in the order of the list
    dismissed: int  # items hidden by a dismissal


def my_customers(user: User) -> QuerySet[Customer]:
    """The customers a user owns or works on in the account team."""
    return Customer.objects.filter(Q(owner=user) | Q(account_team=user))


def worklist(user: User, *, today: date | None = None) -> Worklist:
    """Everything that needs the user's attention, without what they dismissed."""
    today = today or timezone.localdate()
    items = [
        *_analysis_items(user),
        *_decider_items(user, today),
        *_coaching_items(user, today),
        *_follow_up_items(user, today),
        *_profile_items(user, today),
    ]
    hidden = set(
        WorkItemDismissal.objects.filter(user=user, restored_at__isnull=True).values_list(
            "key", flat=True
        )
    )
    shown = [item for item in items if item.key not in hidden]
    order = {kind: place for place, kind in enumerate(KIND_ORDER)}
    shown.sort(key=lambda i: (order[WorkItemKind(i.kind)], i.since or today, i.customer_name))
    counted = Counter(item.kind for item in shown)
    counts = [
        KindCount(kind=str(kind), label=str(kind.label), count=counted[kind])
        for kind in KIND_ORDER
        if counted[kind]
    ]
    return Worklist(items=shown, counts=counts, dismissed=len(items) - len(shown))


def _customer_url(customer_id: int, anchor: str) -> str:
    return reverse("customers:customer-detail", args=[customer_id]) + f"#{anchor}"


def _percent(p: Decimal) -> str:
    return f"{round(100 * p)} %"


def _analysis_items(user: User) -> Iterable[WorkItem]:
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
    mine = my_customers(user).values("pk")
    now = CustomerValue.objects.filter(run=run, customer_id__in=mine).values(*fields)
    before_run = previous_run(run)
    before: dict[int, dict[str, Any]] = {}
    if before_run is not None:
        rows = CustomerValue.objects.filter(run=before_run, customer_id__in=mine).values(*fields)
        before = {row["customer_id"]: row for row in rows.iterator(2_000)}
    with_margin = finance_can_view(user)
    items: list[WorkItem] = []
    for row in now.iterator(2_000):
        was = before.get(row["customer_id"])
        items.extend(_changes(row, was, run, with_margin=with_margin))
    return items


def _changes(
    row: dict[str, Any], was: dict[str, Any] | None, run: AnalysisRun, *, with_margin: bool
) -> Iterable[WorkItem]:
    customer_id = row["customer_id"]

    def item(kind: WorkItemKind, text: str, anchor: str, action: str) -> WorkItem:
        return WorkItem(
            kind=kind,
            key=f"{kind}:{customer_id}:{run.pk}",
            customer_id=customer_id,
            customer_name=row["customer__name"],
            text=text,
            url=_customer_url(customer_id, anchor),
            action=action,
            since=run.as_of,
        )

    before_type = was["value_type"] if was else None
    if row["value_type"] == "shrinking" and before_type != "shrinking":
        text = (
            _("The value type changed from %(before)s to shrinking.")
            % {"before": VALUE_TYPE_LABELS.get(before_type, before_type)}
            if before_type
            else _("The analysis judges this customer shrinking.")
        )
        yield item(WorkItemKind.TYPE_SHRINKING, text, "value", _("See the value"))
    past_peak = row["value_type"] == "bell" and row["lifecycle_phase"] == "phase_out"
    was_past_peak = was is not None and (was["value_type"], was["lifecycle_phase"]) == (
        "bell",
        "phase_out",
    )
    if past_peak and not was_past_peak:
        yield item(
            WorkItemKind.BELL_PAST_PEAK,
            _("A bell customer past its peak: the revenue is in its phase-out."),
            "value",
            _("See the value"),
        )
    p_now, p_before = row["p_alive"], was["p_alive"] if was else None
    if (
        p_now is not None
        and p_before is not None
        and (p_before - p_now >= P_ALIVE_DROP or p_now < P_ALIVE_LOW <= p_before)
    ):
        yield item(
            WorkItemKind.P_ALIVE_DROPPED,
            _("The probability that the customer is still active fell from %(before)s to %(now)s.")
            % {"before": _percent(p_before), "now": _percent(p_now)},
            "value",
            _("See the value"),
        )
    margin, margin_before = (
        row["contribution_margin_12m"],
        (was["contribution_margin_12m"] if was else None),
    )
    if (
        with_margin
        and margin is not None
        and margin < 0
        and not (margin_before is not None and margin_before < 0)
    ):
        yield item(
            WorkItemKind.MARGIN_NEGATIVE,
            _("The contribution margin I of the last 12 months is negative: %(margin)s EUR.")
            % {"margin": formats.number_format(margin, 0, use_l10n=True, force_grouping=True)},
            "finance",
            _("See the finance"),
        )


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
        .select_related("customer")
        .order_by("customer_id", F("last_contact_on").asc(nulls_first=True), "last_name")
    )
    for customer_id, group in groupby(deciders, key=lambda person: person.customer_id):
        people = list(group)
        texts = [_decider_text(person) for person in people]
        if len(people) == 1:
            text = texts[0]
        else:
            text = _("%(count)s deciders without contact: %(people)s") % {
                "count": len(people),
                "people": " ".join(texts),
            }
        state = ",".join(
            f"{p.pk}/{p.known is not None}/{p.last_contact_on or 'never'}" for p in people
        )
        yield WorkItem(
            kind=WorkItemKind.DECIDER_WITHOUT_CONTACT,
            key=f"{WorkItemKind.DECIDER_WITHOUT_CONTACT}:{customer_id}:{_digest(state)}",
            customer_id=customer_id,
            customer_name=people[0].customer.name,
            text=text,
            url=reverse("buying_center:buying-center", args=[customer_id]),
            action=_("Open the buying center"),
            since=None
            if any(p.last_contact_on is None for p in people)
            else people[0].last_contact_on,
        )


def _decider_text(person: Contact) -> str:
    name = str(person)
    if getattr(person, "known", None) is None:
        return _("%(person)s decides, and none of us knows this person.") % {"person": name}
    if person.last_contact_on is None:
        return _("%(person)s decides, and nobody has recorded a contact yet.") % {"person": name}
    return _("%(person)s decides; the last contact was on %(day)s.") % {
        "person": name,
        "day": formats.date_format(person.last_contact_on, "SHORT_DATE_FORMAT"),
    }


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
            text=_("The review of the coaching focus (%(goal)s) was due on %(day)s.")
            % {
                "goal": focus.get_goal_display(),
                "day": formats.date_format(focus.review_on, "SHORT_DATE_FORMAT"),
            },
            url=reverse("insights:focus-list") + f"#focus-{focus.pk}",
            action=_("Open the coaching focus"),
            since=focus.review_on,
        )


def _follow_up_items(user: User, today: date) -> Iterable[WorkItem]:
    due, _upcoming = follow_ups_open(user=user, today=today)
    for activity in due:
        yield WorkItem(
            kind=WorkItemKind.FOLLOW_UP_DUE,
            key=f"{WorkItemKind.FOLLOW_UP_DUE}:{activity.pk}:{activity.follow_up_on}",
            customer_id=activity.customer_id,
            customer_name=activity.customer.name,
            text=activity.next_step or activity.subject,
            url=_customer_url(activity.customer_id, "activities"),
            action=_("Open the activities"),
            since=activity.follow_up_on,
            activity_id=activity.pk,
        )


def _profile_items(user: User, today: date) -> Iterable[WorkItem]:
    """The owner's customers with profile areas whose review is due."""
    customers = reviews_due(
        owner=user, today=today, include_finance=finance_can_view(user)
    ).annotate(last_review=Max("area_reviews__reviewed_on"))
    for customer in customers:
        count: int = customer.due_areas  # type: ignore[attr-defined]
        yield WorkItem(
            kind=WorkItemKind.PROFILE_STALE,
            key=f"{WorkItemKind.PROFILE_STALE}:{customer.pk}:{customer.last_review or 'never'}",
            customer_id=customer.pk,
            customer_name=customer.name,
            text=(
                _("One area of the profile is due for review.")
                if count == 1
                else _("%(count)s areas of the profile are due for review.") % {"count": count}
            ),
            url=_customer_url(customer.pk, "profile-health"),
            action=_("Review the profile"),
            since=customer.last_review,
        )


def work_item_dismiss(*, user: User, key: str, reason: str) -> WorkItemDismissal:
    """Hide one item of the user's own worklist, with the reason; refused for an item the
    worklist does not hold (so a forged key cannot name another user's customer)."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Please say why this item needs no attention."), code="reason_missing"
        )
    item = next((i for i in worklist(user).items if i.key == key), None)
    if item is None:
        raise NotFoundError(_("This item is no longer on your worklist."))
    try:
        with transaction.atomic():
            return WorkItemDismissal.objects.create(
                user=user,
                customer_id=item.customer_id,
                kind=item.kind,
                key=key,
                summary=item.text[:MAX_SUMMARY],
                reason=reason[:MAX_SUMMARY],
            )
    except IntegrityError:
        raise ConflictError(_("This item has already been dismissed."), code="dismissed") from None


def work_item_restore(*, user: User, dismissal_id: int) -> WorkItemDismissal:
    """Put a dismissed item back on the list; the dismissal stays in the history."""
    dismissal = WorkItemDismissal.objects.filter(pk=dismissal_id).first()
    if dismissal is None:
        raise NotFoundError(_("This dismissal does not exist."))
    if dismissal.user_id != user.pk:
        raise PermissionDeniedError(_("You can only restore items you dismissed yourself."))
    if dismissal.restored_at is None:
        dismissal.restored_at = timezone.now()
        dismissal.save(update_fields=["restored_at"])
    return dismissal


def dismissal_list(user: User, *, limit: int = 20) -> list[WorkItemDismissal]:
    """The user's latest dismissals, restored ones included: the history of decisions."""
    return list(WorkItemDismissal.objects.filter(user=user).select_related("customer")[:limit])
