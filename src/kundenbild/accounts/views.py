"""Login, personal settings, API tokens and user administration pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from kundenbild.accounts.capabilities import RoleCode
from kundenbild.accounts.forms import ApiTokenForm, LanguageForm, UserForm
from kundenbild.accounts.models import ApiToken, SecurityEventKind, User
from kundenbild.accounts.permissions import user_access, user_admin_access
from kundenbild.accounts.requests import AuthenticatedRequest
from kundenbild.accounts.security_log import security_event_list
from kundenbild.accounts.selectors import user_list
from kundenbild.accounts.services import (
    api_token_create,
    api_token_revoke,
    user_create,
    user_set_language,
    user_update,
)
from kundenbild.core.errors import ApplicationError
from kundenbild.core.forms import style_fields


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if settings.KUNDENBILD_DEMO:
            context["demo_logins"] = [(code, label) for code, label in RoleCode.choices]
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:settings")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        style_fields(form)
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


@login_not_required
@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the language; remembered on the account, and in a cookie before login."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            assert isinstance(request.user, User)
            user_set_language(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _settings_page(
    request: AuthenticatedRequest, token_form: ApiTokenForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "accounts/settings.html",
        {
            "language_form": LanguageForm(initial={"language": request.user.language}),
            "token_form": token_form,
            "tokens": ApiToken.objects.filter(user=request.user, revoked_at__isnull=True),
        },
        status=status,
    )


def settings_view(request: AuthenticatedRequest) -> HttpResponse:
    return _settings_page(request, ApiTokenForm())


@require_POST
def api_token_create_view(request: AuthenticatedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, form, status=400)
    token, raw = api_token_create(
        user=request.user,
        name=form.cleaned_data["name"],
        days=form.cleaned_data["days"],
        request=request,
    )
    return render(request, "accounts/token_created.html", {"token": token, "raw_key": raw})


@require_POST
def api_token_revoke_view(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user, revoked_at__isnull=True)
    api_token_revoke(token=token, request=request)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("accounts:settings")


def user_list_view(request: AuthenticatedRequest) -> HttpResponse:
    user_admin_access(request.user)
    return render(request, "accounts/user_list.html", {"users": user_list()})


SECURITY_LOG_PAGE_SIZE = 50


def security_log_view(request: AuthenticatedRequest) -> HttpResponse:
    """The security log for those who manage users: newest first, one kind if chosen."""
    user_admin_access(request.user)
    kind = request.GET.get("kind", "")
    events = security_event_list(kind)
    page = Paginator(events, SECURITY_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "kind": kind, "kinds": SecurityEventKind.choices}
    return render(request, "accounts/security_log.html", context)


class UserCreateView(View):
    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        user_admin_access(request.user)
        form = UserForm(initial={"role": RoleCode.SALES, "language": "de", "is_active": True})
        return render(request, "accounts/user_form.html", {"form": form})

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        user_admin_access(request.user)
        form = UserForm(request.POST)
        if form.is_valid():
            try:
                user = user_create(
                    data=form.to_data(), password=form.cleaned_data["password"], by=request.user
                )
            except ApplicationError as error:
                form.add_error(error.field, str(error.message))
            else:
                messages.success(
                    request, _("The user “%(name)s” has been created.") % {"name": user}
                )
                return redirect("accounts:user-list")
        return render(request, "accounts/user_form.html", {"form": form}, status=400)


class UserUpdateView(View):
    def get(self, request: AuthenticatedRequest, user_id: int) -> HttpResponse:
        user = user_access(request.user, user_id)
        form = UserForm(
            editing=True,
            initial={
                "username": user.username,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "role": user.role.code if user.role else "",
                "language": user.language,
                "is_active": user.is_active,
            },
        )
        return render(request, "accounts/user_form.html", {"form": form, "edited": user})

    def post(self, request: AuthenticatedRequest, user_id: int) -> HttpResponse:
        user = user_access(request.user, user_id)
        form = UserForm(request.POST, editing=True, initial={"username": user.username})
        if form.is_valid():
            try:
                user_update(
                    user=user,
                    data=form.to_data(),
                    password=form.cleaned_data["password"] or None,
                    by=request.user,
                )
            except ApplicationError as error:
                form.add_error(error.field, str(error.message))
            else:
                messages.success(request, _("The user “%(name)s” has been saved.") % {"name": user})
                return redirect(reverse("accounts:user-list"))
        return render(
            request, "accounts/user_form.html", {"form": form, "edited": user}, status=400
        )
