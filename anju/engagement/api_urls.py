from django.urls import path

from . import api

urlpatterns = [
    path("campaigns/", api.CampaignListAPI.as_view(), name="api-campaign-list"),
    path("campaigns/<id:pk>/", api.CampaignDetailAPI.as_view(), name="api-campaign-detail"),
    path(
        "campaigns/<id:pk>/summary/",
        api.CampaignSummaryAPI.as_view(),
        name="api-campaign-summary",
    ),
    path(
        "campaigns/<id:pk>/submissions/<id:household_id>/",
        api.CampaignSubmissionAPI.as_view(),
        name="api-campaign-submission",
    ),
    path("votes/", api.VoteListAPI.as_view(), name="api-vote-list"),
    path("votes/<id:pk>/", api.VoteDetailAPI.as_view(), name="api-vote-detail"),
    path(
        "votes/<id:pk>/ballots/<id:household_id>/",
        api.VoteBallotAPI.as_view(),
        name="api-vote-ballot",
    ),
]
