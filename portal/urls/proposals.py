from django.urls import path

from portal.views import proposals as views

app_name = "proposals"

urlpatterns = [
    path("", views.ProposalListView.as_view(), name="list"),
    path("new/", views.proposal_create, name="new"),
    path("sent/", views.proposal_sent, name="sent"),
    path("confirm/<str:token>/", views.proposal_confirm, name="confirm"),
    path("<int:pk>/", views.ProposalDetailView.as_view(), name="detail"),
]
