"""What a customer's page and its one-page PDF both show, gathered in one place."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from kundenbild.accounts.models import User
from kundenbild.buying_center.selectors import buying_center_coverage, contact_list
from kundenbild.customers.models import Customer
from kundenbild.customers.selectors import customer_group_tree
from kundenbild.finance.margins import contribution_margins
from kundenbild.finance.permissions import finance_can_view
from kundenbild.finance.selectors import MonthValue, customer_monthly_values, finance_profile_get
from kundenbild.insights.selectors import customer_value_history, customer_value_outlook
from kundenbild.offerings.selectors import customer_pyramid
from kundenbild.portfolio.models import CoachingFocus
from kundenbild.potential.selectors import customer_potential, potential_years, selected_year


def customer_profile_context(user: User, customer: Customer, *, today: date) -> dict[str, Any]:
    """The five profile areas, the customer value and the coaching focus of a customer the
    user may see (`customer_access`); finance data only for users who may see it."""
    show_finance = finance_can_view(user)
    group = customer_group_tree(customer)
    pyramid = customer_pyramid(customer)
    contacts = list(contact_list(customer=customer))
    values = customer_value_history(customer)
    value = values[0] if values else None
    context: dict[str, Any] = {
        "customer": customer,
        "show_finance": show_finance,
        "today": today,
        "group": group if len(group) > 1 else [],
        "addresses": customer.addresses.all(),
        "business_units": customer.business_units.all(),
        "industries": customer.industries.all(),
        "team": customer.account_team.all(),
        "contacts": contacts,
        "coverage": buying_center_coverage(contacts, today=today),
        "pyramid": pyramid,
        "has_fascination": any(level.assessments for level in pyramid),
        "summary": customer_potential(customer, selected_year(None, potential_years(customer))),
        "value": value,
        "value_history": values,
        "outlook": customer_value_outlook(value) if value else None,
        "coaching": list(
            CoachingFocus.objects.filter(customer=customer)
            .select_related("owner")
            .order_by("closed_on", "-started_on")
        ),
    }
    if show_finance:
        if value:
            context["value_reason"] = value.reason(translation.get_language() or "de")
        context["profile"] = finance_profile_get(customer)
        context["conditions"] = customer.conditions.all()
        context["years"] = contribution_margins(customer)
        context["monthly_chart"] = value_chart_data(
            customer_monthly_values(customer), value.forecast_path if value else []
        )
    return context


def value_chart_data(monthly: list[MonthValue], path: list[dict[str, Any]]) -> dict[str, Any]:
    """The value chart's data: revenue and margin per month and, with a forecast path,
    the axis continued by its months, where the forecast and its band have values."""
    chart: dict[str, Any] = {
        "months": [m.month for m in monthly],
        "revenue": [float(m.revenue) for m in monthly],
        "margin": [float(m.contribution_margin_1) for m in monthly],
        "labels": {
            "revenue": _("Net revenue"),
            "margin": _("Contribution margin I"),
            "forecast": _("Forecast"),
            # xgettext:no-python-format
            "band": _("80 % range"),
        },
    }
    if not monthly or not path:
        return chart
    history = {m.month: m for m in monthly}
    # the months before the forecast in which nothing was bought, up to the as-of month
    as_of_month = _month_before(path[0]["month"])
    # lines imported after the run may reach past the forecast: the axis covers both
    months = _month_range(
        min(monthly[0].month, path[0]["month"]), max(monthly[-1].month, path[-1]["month"])
    )
    forecast = {entry["month"]: entry for entry in path}

    def past(month: str, field: str) -> float | None:
        if month in history:
            return float(getattr(history[month], field))
        return 0.0 if month <= as_of_month else None

    def coming(month: str, key: str) -> float | None:
        return forecast[month][key] if month in forecast else None

    chart["months"] = months
    chart["revenue"] = [past(m, "revenue") for m in months]
    chart["margin"] = [past(m, "contribution_margin_1") for m in months]
    chart["forecast"] = {
        key: [coming(m, key) for m in months] for key in ("revenue", "low", "high")
    }
    return chart


def _month_range(first: str, last: str) -> list[str]:
    """Every calendar month from `first` to `last` ("YYYY-MM"), both included."""
    year, month = int(first[:4]), int(first[5:])
    months = []
    while (label := f"{year:04d}-{month:02d}") <= last:
        months.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month_before(label: str) -> str:
    year, month = int(label[:4]), int(label[5:])
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"
