from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_list, name="audit-list"),
    path("tasks/<uuid:pk>/", views.task_detail, name="task-detail"),
    path("holidays/", views.holiday_list, name="holiday-list"),
    path("holidays/new/", views.holiday_edit, name="holiday-create"),
    path("holidays/<id:pk>/", views.holiday_edit, name="holiday-edit"),
    path("holidays/<id:pk>/delete/", views.holiday_delete, name="holiday-delete"),
    path("holidays/import/", views.holiday_import, name="holiday-import"),
    path("holidays/template/", views.holiday_template, name="holiday-template"),
]
