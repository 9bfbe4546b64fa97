from django.urls import path

from . import views
from .urls_import import import_urlpatterns

app_name = "territory"
urlpatterns = [
    path("compounds/", views.compound_list, name="compound-list"),
    path("compounds/<str:code>/", views.compound_detail, name="compound-detail"),
    path("compounds/<str:code>/history/", views.compound_history, name="compound-history"),
    *import_urlpatterns,
]
