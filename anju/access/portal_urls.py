"""The residents' portal, mounted under /portal/."""

from django.urls import path

from .views import portal

app_name = "portal"
urlpatterns = [
    path("", portal.portal_home, name="home"),
    path("sign-in/", portal.portal_sign_in, name="sign-in"),
    path("c/<str:code>/", portal.portal_code, name="code"),
    path("sign-out/", portal.portal_sign_out, name="sign-out"),
]
