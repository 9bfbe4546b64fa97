"""The project's URLs with the import pages (territory namespace) and the import API
(api/v1/) put first, as the lead includes them; the page and API tests use this URLconf so
they do not depend on where the root includes them."""

from django.urls import include, path

from anju import urls as root
from anju.territory import urls as territory_urls
from anju.territory.api_urls_import import import_api_urlpatterns
from anju.territory.urls_import import import_urlpatterns

urlpatterns = [
    path(
        "workbench/",
        include(([*territory_urls.urlpatterns, *import_urlpatterns], "territory")),
    ),
    path("api/v1/", include(import_api_urlpatterns)),
    *root.urlpatterns,
]
handler404 = root.handler404
handler500 = root.handler500
handler403 = root.handler403
handler400 = root.handler400
