from django.urls import path

from portal.views import initiatives as views

app_name = "initiatives"

urlpatterns = [
    path("visions/", views.VisionListView.as_view(), name="vision-list"),
    path("visions/<int:number>/", views.VisionDetailView.as_view(), name="vision-detail"),
    path("reform-plan/", views.ReformPlanView.as_view(), name="reform-plan"),
    path("cases/", views.CaseStudyListView.as_view(), name="case-list"),
    path("cases/<int:number>/", views.CaseStudyDetailView.as_view(), name="case-detail"),
    path("initiatives/", views.InitiativeListView.as_view(), name="list"),
    path("initiatives/<int:pk>/", views.InitiativeDetailView.as_view(), name="detail"),
    path("report/", views.ReportView.as_view(), name="report"),
]
