"""The residents' side of engagement, mounted under /portal/engagement/."""

from django.urls import path

from . import portal_views as views

app_name = "engagement-portal"
urlpatterns = [
    path("", views.engagement_home, name="home"),
    path("campaigns/<id:pk>/", views.campaign_detail, name="campaign"),
    path("photos/<id:pk>/", views.submission_photo, name="photo"),
    path("votes/<id:pk>/", views.vote_detail, name="vote"),
    path("votes/<id:pk>/result/", views.vote_result, name="vote-result"),
]
