"""The registry import API route, included by the lead next to the registry API."""

from django.urls import path

from . import api_import

import_api_urlpatterns = [
    path("registry/import/", api_import.RegistryImportAPI.as_view(), name="api-registry-import"),
]
