from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kundenbild.accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from kundenbild.accounts import signals  # noqa: F401  (connects the receivers)
