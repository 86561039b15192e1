from django.urls import path

from portal.views import open_data as views

app_name = "open_data"

urlpatterns = [
    path("", views.OpenDataView.as_view(), name="page"),
    path(views.ZIP_NAME, views.download_zip, name="zip"),
    path("dictionary.csv", views.download_dictionary, name="dictionary"),
    path("<slug:slug>.csv", views.download, {"fmt": "csv"}, name="csv"),
    path("<slug:slug>.xlsx", views.download, {"fmt": "xlsx"}, name="xlsx"),
    path("<slug:slug>.json", views.download, {"fmt": "json"}, name="json"),
]
