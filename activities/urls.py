from django.urls import path

from activities import views, views_library

app_name = "activities"
urlpatterns = [
    # Families: a child's class feed, an activity, their answer and whether the class sees it.
    path("children/<int:child_id>/activities/", views.feed, name="feed"),
    path("activities/<int:activity_id>/", views.detail, name="detail"),
    path("activities/<int:activity_id>/children/<int:child_id>/answer/", views.answer, name="answer"),
    path("answers/<int:answer_id>/share/", views.share, name="share"),
    # A child's family viewers (and guardians): the child's answers approved for the class, read-only.
    path("children/<int:child_id>/shared-answers/", views.child_answers, name="child_answers"),
    # Staff: write and publish, print the card, follow who answered, review and reply, remind once.
    path("schools/<slug:slug>/activities/", views.school_activities, name="school_list"),
    path("schools/<slug:slug>/activities/new/", views.create, name="create"),
    path("schools/<slug:slug>/activities/participation/", views.school_participation, name="school_participation"),
    path("activities/<int:activity_id>/edit/", views.edit, name="edit"),
    path("activities/<int:activity_id>/captions/", views.captions, name="captions"),
    path("activities/<int:activity_id>/publish/", views.publish, name="publish"),
    path("activities/<int:activity_id>/card.pdf", views.card, name="card"),
    path("activities/<int:activity_id>/participation/", views.participation, name="participation"),
    path("activities/<int:activity_id>/classes/<int:classroom_id>/nudge/", views.nudge, name="nudge"),
    path("answers/<int:answer_id>/review/", views.review, name="review"),
    path("answers/<int:answer_id>/feedback/", views.feedback, name="feedback"),
    # The authorities' library: offer (staff), browse and copy (the schools under it), curate (officers).
    path("activities/<int:activity_id>/offer/", views_library.offer, name="offer"),
    path("activity-library/", views_library.library_home, name="library_home"),
    path("authorities/<slug:slug>/activity-library/", views_library.library_browse, name="library"),
    path("authorities/<slug:slug>/activity-library/reuse/", views_library.library_reuse, name="library_reuse"),
    path("activity-library/<int:entry_id>/", views_library.library_entry, name="library_entry"),
    path("activity-library/<int:entry_id>/decide/", views_library.library_decide, name="library_decide"),
    path("activity-library/<int:entry_id>/adopt/", views_library.library_adopt, name="library_adopt"),
    # Commendations of schools and families, shown on the school's public page.
    path("authorities/<slug:slug>/commendations/", views_library.commendations, name="commendations"),
    path(
        "authorities/<slug:slug>/commendations/<int:commendation_id>/delete/",
        views_library.commendation_delete,
        name="commendation_delete",
    ),
]
