from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "anju.planning"
    label = "planning"
    verbose_name = _("规划与计划")

    def ready(self):
        from anju.territory.signals import registry_replacing, territory_moved

        from .handlers import follow_territory_move, forget_plans

        registry_replacing.connect(forget_plans, sender=self, dispatch_uid="planning.forget_plans")
        territory_moved.connect(
            follow_territory_move, dispatch_uid="planning.follow_territory_move"
        )
