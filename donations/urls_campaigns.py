"""The campaigns' public pages, pledges, comments and a donor's own page (added to donations.urls)."""

from django.urls import path

from donations import views_campaigns as views

urlpatterns = [
    path("schools/<slug:slug>/campaigns/", views.campaign_list, name="campaigns"),
    path("schools/<slug:slug>/campaigns/<int:pk>/", views.campaign_page, name="campaign"),
    path("schools/<slug:slug>/campaigns/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("schools/<slug:slug>/campaigns/<int:pk>/pledge/", views.pledge, name="pledge"),
    path("donations/comments/<int:comment_id>/answer/", views.comment_answer, name="comment_answer"),
    # A donor's own page: their contributions at every school, receipts and letters.
    path("donations/mine/", views.donor_page, name="mine"),
    path("donations/mine/<int:pk>/", views.contribution_page, name="contribution"),
    path("donations/mine/<int:pk>/cancel/", views.contribution_cancel, name="contribution_cancel"),
    path("donations/mine/<int:pk>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("donations/mine/donors/<int:pk>/display/", views.donor_display, name="donor_display"),
    path("donations/invitations/<str:token>/", views.invitation, name="invitation"),
]
