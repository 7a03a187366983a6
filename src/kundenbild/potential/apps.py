from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PotentialConfig(AppConfig):
    name = "kundenbild.potential"
    verbose_name = _("Needs and potential")
