"""Staff pages of access, mounted under /workbench/."""

from django.urls import path

from .views import administration, codes

app_name = "access"
urlpatterns = [
    path(
        "compounds/<str:code>/household-codes/",
        codes.code_sheet_form,
        name="code-sheet-form",
    ),
    path("compounds/<str:code>/household-codes.pdf", codes.code_sheet, name="code-sheet"),
    path("households/<id:pk>/reveal-phone/", codes.reveal_phone, name="reveal-phone"),
    path("admin/", administration.people, name="admin-people"),
    path("admin/people/<id:pk>/", administration.person, name="admin-person"),
    path("admin/people/<id:pk>/roles/", administration.person_role, name="admin-person-role"),
    path("admin/people/<id:pk>/active/", administration.person_active, name="admin-person-active"),
    path(
        "admin/people/<id:pk>/password/",
        administration.person_password,
        name="admin-person-password",
    ),
    path("admin/roles/<id:pk>/revoke/", administration.revoke_role, name="admin-role-revoke"),
    path("admin/organisations/", administration.organisations, name="admin-organisations"),
    path("admin/assignments/", administration.assignments, name="admin-assignments"),
    path("admin/assignments/<id:pk>/remove/", administration.unassign, name="admin-unassign"),
    path("admin/onboard/", administration.onboard, name="admin-onboard"),
    path("admin/onboard/template/", administration.onboard_template, name="admin-onboard-template"),
]
