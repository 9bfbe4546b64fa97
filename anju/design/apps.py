from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DesignConfig(AppConfig):
    name = "anju.design"
    label = "design"
    verbose_name = _("一小区一方案")

    def ready(self) -> None:
        from anju.territory.signals import registry_replacing

        from .handlers import forget_designs

        registry_replacing.connect(
            forget_designs, sender=self, dispatch_uid="design.forget_designs"
        )
