from django.urls import path

from . import api_views

urlpatterns = [
    path("tasks/<uuid:pk>/", api_views.TaskProgressAPI.as_view(), name="api-task-detail"),
]
