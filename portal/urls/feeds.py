from django.urls import path

from portal import feeds

app_name = "feeds"

urlpatterns = [
    path("initiatives/", feeds.InitiativeFeed(), name="initiatives"),
    path("wards/<slug:slug>/", feeds.WardFeed(), name="ward"),
    path("visions/<int:number>/", feeds.VisionFeed(), name="vision"),
    path("progress/", feeds.ProgressFeed(), name="progress"),
]
