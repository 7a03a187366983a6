"""Forms for login, personal settings, user administration and API tokens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from kundenbild.accounts.capabilities import RoleCode
from kundenbild.accounts.models import Language
from kundenbild.accounts.services import MAX_TOKEN_DAYS, UserData
from kundenbild.core.forms import StyledForm


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)


class UserForm(StyledForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={
            "invalid": _("Use only letters, digits and the characters @ . + - _ for usernames.")
        },
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=RoleCode.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("Leave empty to keep the current password."),
    )

    def __init__(self, *args: object, editing: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["username"].disabled = True
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean_password(self) -> str:
        password: str = self.cleaned_data.get("password", "")
        if password:
            password_validation.validate_password(password)
        return password

    def to_data(self) -> UserData:
        d = self.cleaned_data
        return UserData(
            username=d["username"],
            first_name=d["first_name"],
            last_name=d["last_name"],
            email=d["email"],
            role_code=d["role"],
            language=d["language"],
            is_active=d["is_active"],
        )


class ApiTokenForm(StyledForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “ERP export job”."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        """The default term is a setting, so the help text is made per form."""
        super().__init__(*args, **kwargs)
        default = settings.KUNDENBILD_API_TOKEN_DAYS
        days = self.fields["days"]
        days.help_text = str(_("Empty: %(days)s days. After that the token stops working.")) % {
            "days": default
        }
        days.widget.attrs["placeholder"] = str(default)
