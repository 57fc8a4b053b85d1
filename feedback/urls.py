from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("feedback/", views.feedback_home, name="home"),
    path("feedback/schools/<slug:slug>/new/", views.feedback_new, name="new"),
    path("feedback/schools/<slug:slug>/inbox/", views.school_inbox, name="school_inbox"),
    path("feedback/schools/<slug:slug>/answered/", views.published, name="published"),
    path("feedback/authority/", views.authority_inbox, name="authority_inbox"),
    path("feedback/<int:item_id>/", views.item_detail, name="item"),
    path("feedback/<int:item_id>/answer/", views.item_answer, name="answer"),
    path("feedback/<int:item_id>/assign/", views.item_assign, name="assign"),
    path("feedback/<int:item_id>/publish/", views.item_publish, name="publish"),
    path("polls/", views.poll_list, name="polls"),
    path("polls/schools/<slug:slug>/new/", views.poll_new, name="poll_new"),
    path("polls/<int:poll_id>/", views.poll_detail, name="poll"),
    path("polls/<int:poll_id>/answer/", views.poll_answer, name="poll_answer"),
    path("polls/<int:poll_id>/close/", views.poll_close, name="poll_close"),
]
