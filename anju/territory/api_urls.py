from django.urls import path

from . import api
from .api_urls_import import import_api_urlpatterns

urlpatterns = [
    path("compounds/", api.CompoundListAPI.as_view(), name="api-compound-list"),
    path("compounds/<str:code>/", api.CompoundDetailAPI.as_view(), name="api-compound-detail"),
    path("territory/", api.NodeListAPI.as_view(), name="api-node-list"),
    path("territory/<str:code>/", api.NodeDetailAPI.as_view(), name="api-node-detail"),
    *import_api_urlpatterns,
]
