from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a same-origin file (?script), so
    # the page runs under script-src 'self' + nonce; the default view's inline script is blocked.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("anju.territory.api_urls")),
    path("api/v1/", include("anju.access.api_urls")),
    path("api/v1/", include("anju.core.api_urls")),
    path("api/v1/", include("anju.engagement.api_urls")),
    path("api/v1/", include("anju.planning.api_urls")),
    path("api/v1/", include("anju.coordination.api_urls")),
    path("api/v1/", include("anju.stewardship.api_urls")),
    path("api/v1/", include("anju.design.api_urls")),
    path("api/v1/", include("anju.construction.api_urls")),
    path("api/v1/", include("anju.funding.api_urls")),
    path("workbench/", include("anju.territory.urls")),
    path("workbench/", include("anju.core.urls")),
    path("workbench/", include("anju.access.urls")),
    path("workbench/catalogue/", include("anju.catalogue.urls")),
    path("workbench/engagement/", include("anju.engagement.urls")),
    path("workbench/plans/", include("anju.planning.urls")),
    path("workbench/coordination/", include("anju.coordination.urls")),
    path("workbench/stewardship/", include("anju.stewardship.urls")),
    path("workbench/projects/", include("anju.design.urls")),
    path("workbench/construction/", include("anju.construction.urls")),
    path("workbench/funding/", include("anju.funding.urls")),
    path("portal/engagement/", include("anju.engagement.portal_urls")),
    path("portal/plans/", include("anju.planning.portal_urls")),
    path("portal/plan/", include("anju.design.portal_urls")),
    path("portal/stewardship/", include("anju.stewardship.portal_urls")),
    path("portal/construction/", include("anju.construction.portal_urls")),
    path("portal/funding/", include("anju.funding.portal_urls")),
    path("portal/", include("anju.access.portal_urls")),
    path("", include("anju.web.urls")),
]

handler404 = "anju.web.views.not_found"
handler500 = "anju.web.views.server_error"
handler403 = "anju.web.views.forbidden"
handler400 = "anju.web.views.bad_request"
