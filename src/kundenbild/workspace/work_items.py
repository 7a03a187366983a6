"""One item of a worklist as the user reads it: its kind, icon, words and where it is
handled. Worded only when shown, in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.urls import reverse
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kundenbild.insights.models import VALUE_TYPE_LABELS
from kundenbild.workspace.models import WorkItemKind

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


@dataclass(frozen=True)
class WorkItem:
    """One matter on a worklist. What it says and where it links are worded only when
    shown: a user with a hundred thousand customers gets that many items, of which the
    page shows 25."""

    kind: str
    key: str
    customer_id: int
    customer_name: str
    since: date | None  # when it happened or fell due
    facts: dict[str, Any] = field(default_factory=dict, hash=False)  # what the text needs
    activity_id: int | None = None  # a follow-up can be marked done right away

    @property
    def kind_label(self) -> str:
        return str(WorkItemKind(self.kind).label)

    @property
    def icon(self) -> str:
        return KIND_ICONS[WorkItemKind(self.kind)]

    @property
    def text(self) -> str:
        """What happened, in the user's language."""
        return _TEXTS[WorkItemKind(self.kind)](self.facts)

    @property
    def url(self) -> str:
        """Where the matter is handled."""
        anchor, route = _TARGETS[WorkItemKind(self.kind)]
        if route == "focus":
            return reverse("portfolio:focus-list") + f"#focus-{self.facts['focus']}"
        return reverse(route, args=[self.customer_id]) + (f"#{anchor}" if anchor else "")

    @property
    def action(self) -> str:
        return str(_ACTIONS[WorkItemKind(self.kind)])


class Stake(NamedTuple):
    """What a customer puts at stake (`ranking.stake`), as far as the user may know it."""

    value: float | None  # revenue 12 months or its forecast, the larger; None without finance
    abc: str  # the ABC class by revenue, which everybody sees


NO_STAKE = Stake(None, "")


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class Worklist:
    items: list[WorkItem]  # neither dismissed nor snoozed, most at stake first (ranking)
    counts: list[KindCount]  # per kind with items, in the order of the list
    dismissed: int  # items hidden by a dismissal
    snoozed: int = 0  # items hidden until their snooze ends
    stakes: dict[int, Stake] = field(default_factory=dict)  # per customer of the latest run


def _day(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _percent(p: Decimal) -> str:
    return f"{round(100 * p)} %"


def _shrinking_text(facts: dict[str, Any]) -> str:
    before = facts["before"]
    if not before:
        return _("The analysis judges this customer shrinking.")
    label = VALUE_TYPE_LABELS.get(before, before)
    return _("The value type changed from %(before)s to shrinking.") % {"before": label}


def _decider_text(facts: dict[str, Any]) -> str:
    texts = []
    for name, known, last_contact in facts["people"]:
        if not known:
            texts.append(
                _("%(person)s decides, and none of us knows this person.") % {"person": name}
            )
        elif last_contact is None:
            texts.append(
                _("%(person)s decides, and nobody has recorded a contact yet.") % {"person": name}
            )
        else:
            texts.append(
                _("%(person)s decides; the last contact was on %(day)s.")
                % {"person": name, "day": _day(last_contact)}
            )
    if len(texts) == 1:
        return texts[0]
    return _("%(count)s deciders without contact: %(people)s") % {
        "count": len(texts),
        "people": " ".join(texts),
    }


def _profile_text(facts: dict[str, Any]) -> str:
    if facts["count"] == 1:
        return _("One area of the profile is due for review.")
    return _("%(count)s areas of the profile are due for review.") % {"count": facts["count"]}


_TEXTS: dict[WorkItemKind, Callable[[dict[str, Any]], str]] = {
    WorkItemKind.TYPE_SHRINKING: _shrinking_text,
    WorkItemKind.BELL_PAST_PEAK: lambda facts: _(
        "A bell customer past its peak: the revenue is in its phase-out."
    ),
    WorkItemKind.P_ALIVE_DROPPED: lambda facts: (
        _("The probability that the customer is still active fell from %(before)s to %(now)s.")
        % {"before": _percent(facts["before"]), "now": _percent(facts["now"])}
    ),
    WorkItemKind.MARGIN_NEGATIVE: lambda facts: (
        _("The contribution margin I of the last 12 months is negative: %(margin)s EUR.")
        % {"margin": formats.number_format(facts["margin"], 0, use_l10n=True, force_grouping=True)}
    ),
    WorkItemKind.DECIDER_WITHOUT_CONTACT: _decider_text,
    WorkItemKind.COACHING_REVIEW_DUE: lambda facts: (
        _("The review of the coaching focus (%(goal)s) was due on %(day)s.")
        % {"goal": facts["goal"], "day": _day(facts["day"])}
    ),
    WorkItemKind.FOLLOW_UP_DUE: lambda facts: str(facts["next_step"]),
    WorkItemKind.PROFILE_STALE: _profile_text,
}


# (anchor on the page, URL name or "focus") where each kind is handled
_TARGETS: dict[WorkItemKind, tuple[str, str]] = {
    WorkItemKind.TYPE_SHRINKING: ("value", "profile:customer-detail"),
    WorkItemKind.BELL_PAST_PEAK: ("value", "profile:customer-detail"),
    WorkItemKind.P_ALIVE_DROPPED: ("value", "profile:customer-detail"),
    WorkItemKind.MARGIN_NEGATIVE: ("finance", "profile:customer-detail"),
    WorkItemKind.DECIDER_WITHOUT_CONTACT: ("", "buying_center:buying-center"),
    WorkItemKind.COACHING_REVIEW_DUE: ("", "focus"),
    WorkItemKind.FOLLOW_UP_DUE: ("activities", "profile:customer-detail"),
    WorkItemKind.PROFILE_STALE: ("profile-health", "profile:customer-detail"),
}


_ACTIONS: dict[WorkItemKind, Promise] = {
    WorkItemKind.TYPE_SHRINKING: gettext_lazy("See the value"),
    WorkItemKind.BELL_PAST_PEAK: gettext_lazy("See the value"),
    WorkItemKind.P_ALIVE_DROPPED: gettext_lazy("See the value"),
    WorkItemKind.MARGIN_NEGATIVE: gettext_lazy("See the finance"),
    WorkItemKind.DECIDER_WITHOUT_CONTACT: gettext_lazy("Open the buying center"),
    WorkItemKind.COACHING_REVIEW_DUE: gettext_lazy("Open the coaching focus"),
    WorkItemKind.FOLLOW_UP_DUE: gettext_lazy("Open the activities"),
    WorkItemKind.PROFILE_STALE: gettext_lazy("Review the profile"),
}
