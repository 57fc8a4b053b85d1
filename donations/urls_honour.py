from django.urls import path

from donations import views_honour

urlpatterns: list = [
    path("schools/<slug:slug>/honour/", views_honour.honour_page, name="honour"),
    path("schools/<slug:slug>/honour/<int:pk>/poster.pdf", views_honour.honour_poster, name="honour_poster"),
    path("schools/<slug:slug>/honour/<int:pk>/photos/<int:line>.jpg", views_honour.honour_photo, name="honour_photo"),
    path("donations/letters/<int:pk>.pdf", views_honour.letter_pdf, name="letter_pdf"),
    path("donations/drawings/", views_honour.drawings, name="drawings"),
    path("donations/drawings/<int:pk>/", views_honour.drawing_attach, name="drawing_attach"),
]
