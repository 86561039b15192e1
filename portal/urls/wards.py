from django.urls import path

from portal.views import wards as views

app_name = "wards"

urlpatterns = [
    path("", views.WardListView.as_view(), name="list"),
    path("<slug:slug>/", views.WardDetailView.as_view(), name="detail"),
]
