from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignConfig(AppConfig):
    name = "anju.design"
    label = "design"
    verbose_name = _("一小区一方案")
