from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuyingCenterConfig(AppConfig):
    name = "kundenbild.buying_center"
    verbose_name = _("Buying center")
