from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "anju.coordination"
    label = "coordination"
    verbose_name = _("统筹协调")

    def ready(self):
        from anju.territory.signals import territory_moved

        from .handlers import follow_territory_move

        territory_moved.connect(
            follow_territory_move, dispatch_uid="coordination.follow_territory_move"
        )
