"""The residents' side of engagement, mounted under /portal/engagement/."""

from django.urls import path

from . import portal_views as views

app_name = "engagement-portal"
urlpatterns = [
    path("", views.engagement_home, name="home"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("photos/<int:pk>/", views.submission_photo, name="photo"),
    path("votes/<int:pk>/", views.vote_detail, name="vote"),
    path("votes/<int:pk>/result/", views.vote_result, name="vote-result"),
]
