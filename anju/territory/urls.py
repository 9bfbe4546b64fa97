"""Workbench pages of the registry, mounted under /workbench/ in the `territory` namespace."""

from django.urls import path

from .views import compounds, imports, nodes

app_name = "territory"
urlpatterns = [
    path("compounds/", compounds.compound_list, name="compound-list"),
    path("compounds/<str:code>/", compounds.compound_detail, name="compound-detail"),
    path("compounds/<str:code>/history/", compounds.compound_history, name="compound-history"),
    path("territory/", nodes.territory_tree, name="territory-tree"),
    path("territory/<str:code>/", nodes.node_detail, name="node-detail"),
    path("registry/import/", imports.import_page, name="import"),
    path("registry/import/template/", imports.template_download, name="import-template"),
    path(
        "registry/import/<uuid:pk>/annotated/",
        imports.annotated_download,
        name="import-annotated",
    ),
    path("registry/export/", imports.export, name="export"),
    path("registry/export/<uuid:pk>/", imports.export_progress, name="export-progress"),
    path("registry/export/<uuid:pk>/download/", imports.export_download, name="export-download"),
]
