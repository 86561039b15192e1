from django.urls import path

from portal.views import search as views

app_name = "search"

urlpatterns = [
    path("", views.SearchView.as_view(), name="results"),
]
