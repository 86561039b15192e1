from django.urls import path

from portal.views import feedback as views

app_name = "feedback"

urlpatterns = [
    path("cases/<int:number>/comments/", views.comment_create, name="comment-create"),
    path("comments/mine/", views.my_comments, name="my-comments"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/withdraw/", views.comment_withdraw, name="comment-withdraw"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/<int:pk>/", views.moderation_decide, name="moderation-decide"),
]
