from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [
    path("compounds/", views.compound_list, name="compound-list"),
    path("compounds/<str:code>/", views.compound_detail, name="compound-detail"),
    path("compounds/<str:code>/history/", views.compound_history, name="compound-history"),
]
