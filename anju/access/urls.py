"""Staff pages of access, mounted under /workbench/."""

from django.urls import path

from . import admin_views, views

app_name = "access"
urlpatterns = [
    path(
        "compounds/<str:code>/household-codes/",
        views.code_sheet_form,
        name="code-sheet-form",
    ),
    path("compounds/<str:code>/household-codes.pdf", views.code_sheet, name="code-sheet"),
    path("households/<id:pk>/reveal-phone/", views.reveal_phone, name="reveal-phone"),
    path("admin/", admin_views.people, name="admin-people"),
    path("admin/people/<id:pk>/", admin_views.person, name="admin-person"),
    path("admin/people/<id:pk>/roles/", admin_views.person_role, name="admin-person-role"),
    path("admin/people/<id:pk>/active/", admin_views.person_active, name="admin-person-active"),
    path(
        "admin/people/<id:pk>/password/", admin_views.person_password, name="admin-person-password"
    ),
    path("admin/roles/<id:pk>/revoke/", admin_views.revoke_role, name="admin-role-revoke"),
    path("admin/organisations/", admin_views.organisations, name="admin-organisations"),
    path("admin/assignments/", admin_views.assignments, name="admin-assignments"),
    path("admin/assignments/<id:pk>/remove/", admin_views.unassign, name="admin-unassign"),
    path("admin/onboard/", admin_views.onboard, name="admin-onboard"),
    path("admin/onboard/template/", admin_views.onboard_template, name="admin-onboard-template"),
]
