from django.urls import path

from portal.views import progress as views

app_name = "progress"

urlpatterns = [
    path("", views.ProgressDashboardView.as_view(), name="dashboard"),
]
