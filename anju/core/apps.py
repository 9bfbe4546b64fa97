from django.apps import AppConfig
from django.urls import register_converter
from django.urls.converters import get_converters
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "anju.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from . import checks  # noqa: F401 - registers the database checks
        from .params import IdConverter

        if "id" not in get_converters():
            register_converter(IdConverter, "id")
