from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "anju.catalogue"
    label = "catalogue"
    verbose_name = _("改造内容清单")
