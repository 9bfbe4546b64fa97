from django.urls import path

from . import api

urlpatterns = [
    path("campaigns/", api.CampaignListAPI.as_view(), name="api-campaign-list"),
    path("campaigns/<int:pk>/", api.CampaignDetailAPI.as_view(), name="api-campaign-detail"),
    path(
        "campaigns/<int:pk>/summary/",
        api.CampaignSummaryAPI.as_view(),
        name="api-campaign-summary",
    ),
    path(
        "campaigns/<int:pk>/submissions/<int:household_id>/",
        api.CampaignSubmissionAPI.as_view(),
        name="api-campaign-submission",
    ),
    path("votes/", api.VoteListAPI.as_view(), name="api-vote-list"),
    path("votes/<int:pk>/", api.VoteDetailAPI.as_view(), name="api-vote-detail"),
    path(
        "votes/<int:pk>/ballots/<int:household_id>/",
        api.VoteBallotAPI.as_view(),
        name="api-vote-ballot",
    ),
]
