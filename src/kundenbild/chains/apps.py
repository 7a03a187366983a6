from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "kundenbild.chains"
    verbose_name = _("Problem-solving chains")
