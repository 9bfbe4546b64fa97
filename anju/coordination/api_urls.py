from django.urls import path

from . import api

urlpatterns = [
    path("works/", api.WorkListAPI.as_view(), name="api-work-list"),
    path("works/<str:external_id>/", api.WorkDetailAPI.as_view(), name="api-work-detail"),
]
