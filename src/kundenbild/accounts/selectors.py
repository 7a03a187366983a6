"""Reads on users."""

from __future__ import annotations

from django.db.models import QuerySet

from kundenbild.accounts.models import User


def user_list() -> QuerySet[User]:
    return User.objects.select_related("role").order_by("username")


def staff_choices() -> QuerySet[User]:
    """Active users who can be named key account manager or team member."""
    return User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
