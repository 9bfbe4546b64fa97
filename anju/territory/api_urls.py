from django.urls import path

from . import api

urlpatterns = [
    path("compounds/", api.CompoundListAPI.as_view(), name="api-compound-list"),
    path("compounds/<str:code>/", api.CompoundDetailAPI.as_view(), name="api-compound-detail"),
    path("territory/", api.NodeListAPI.as_view(), name="api-node-list"),
    path("territory/<str:code>/", api.NodeDetailAPI.as_view(), name="api-node-detail"),
    path("territory/<str:code>/history/", api.NodeHistoryAPI.as_view(), name="api-node-history"),
    path("territory/<str:code>/children/", api.NodeAddAPI.as_view(), name="api-node-add"),
    path("territory/<str:code>/rename/", api.NodeRenameAPI.as_view(), name="api-node-rename"),
    path("territory/<str:code>/move/", api.NodeMoveAPI.as_view(), name="api-node-move"),
    path("territory/<str:code>/end/", api.NodeEndAPI.as_view(), name="api-node-end"),
    path("registry/import/", api.RegistryImportAPI.as_view(), name="api-registry-import"),
]
