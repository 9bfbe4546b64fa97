"""Import and export pages, included by the lead into the `territory` namespace."""

from django.urls import path

from . import views_import

import_urlpatterns = [
    path("registry/import/", views_import.import_page, name="import"),
    path("registry/import/template/", views_import.template_download, name="import-template"),
    path(
        "registry/import/<uuid:pk>/annotated/",
        views_import.annotated_download,
        name="import-annotated",
    ),
    path("registry/export/", views_import.export, name="export"),
    path("registry/export/<uuid:pk>/", views_import.export_progress, name="export-progress"),
    path(
        "registry/export/<uuid:pk>/download/",
        views_import.export_download,
        name="export-download",
    ),
]
