"""The school's transparency board: public pages and downloads, and the books for the board (signed in)."""

from django.urls import path

from donations import views_public as views

BOARD = "schools/<slug:slug>/transparency/"
CAMPAIGN = BOARD + "campaigns/<int:pk>/"

urlpatterns = [
    path(BOARD, views.board, name="transparency"),
    path(CAMPAIGN, views.campaign, name="transparency_campaign"),
    path(CAMPAIGN + "contributions.csv", views.contributions_csv, name="transparency_contributions_csv"),
    path(CAMPAIGN + "spending.csv", views.spending_csv, name="transparency_spending_csv"),
    path(CAMPAIGN + "settlement/", views.settlement, name="transparency_settlement"),
    path(CAMPAIGN + "settlement.pdf", views.settlement_download, name="transparency_settlement_pdf"),
    path(CAMPAIGN + "cosign/", views.settlement_cosign, name="transparency_cosign"),
    path(BOARD + "evidence/<int:pk>/<slug:variant>", views.evidence_file, name="transparency_evidence"),
    path(BOARD + "ledger/", views.ledger, name="transparency_ledger"),
    path(BOARD + "ledger.jsonl", views.ledger_jsonl, name="transparency_ledger_jsonl"),
    path(BOARD + "ledger.csv", views.ledger_csv, name="transparency_ledger_csv"),
    path(BOARD + "books/", views.books, name="transparency_books"),
    path(
        BOARD + "books/evidence/<int:pk>/<slug:variant>", views.books_evidence_file, name="transparency_books_evidence"
    ),
]
