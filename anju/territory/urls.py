from django.urls import path

from . import views, views_nodes
from .urls_import import import_urlpatterns

app_name = "territory"
urlpatterns = [
    path("compounds/", views.compound_list, name="compound-list"),
    path("compounds/<str:code>/", views.compound_detail, name="compound-detail"),
    path("compounds/<str:code>/history/", views.compound_history, name="compound-history"),
    path("territory/", views_nodes.territory_tree, name="territory-tree"),
    path("territory/<str:code>/", views_nodes.node_detail, name="node-detail"),
    *import_urlpatterns,
]
