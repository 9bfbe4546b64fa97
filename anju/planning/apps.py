from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "anju.planning"
    label = "planning"
    verbose_name = _("规划与计划")
