"""Administration API routes, included under /api/v1/."""

from django.urls import path

from . import api

urlpatterns = [
    path("staff/", api.StaffAPI.as_view(), name="api-staff-list"),
    path("staff/<id:pk>/", api.StaffDetailAPI.as_view(), name="api-staff-detail"),
    path("staff/<id:pk>/deactivate/", api.StaffActiveAPI.as_view(), name="api-staff-deactivate"),
    path(
        "staff/<id:pk>/reactivate/", api.StaffReactivateAPI.as_view(), name="api-staff-reactivate"
    ),
    path("staff/<id:pk>/roles/", api.StaffRoleGrantAPI.as_view(), name="api-staff-roles"),
    path("roles/<id:pk>/", api.RoleRevokeAPI.as_view(), name="api-role-revoke"),
    path("organisations/", api.OrganisationsAPI.as_view(), name="api-organisation-list"),
    path("assignments/", api.AssignmentsAPI.as_view(), name="api-assignment-list"),
    path("assignments/<id:pk>/", api.AssignmentRemoveAPI.as_view(), name="api-assignment-remove"),
    path("onboard/", api.OnboardAPI.as_view(), name="api-onboard"),
]
