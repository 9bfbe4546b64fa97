from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "anju.engagement"
    label = "engagement"
    verbose_name = _("问需问计")

    def ready(self):
        from anju.territory.signals import territory_moved

        from .handlers import follow_territory_move

        territory_moved.connect(
            follow_territory_move, dispatch_uid="engagement.follow_territory_move"
        )
