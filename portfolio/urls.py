from portfolio.urls_printing import printing_urlpatterns
from portfolio.urls_sitting import sitting_urlpatterns
from portfolio.urls_timeline import timeline_urlpatterns
from portfolio.urls_works import works_urlpatterns

app_name = "portfolio"
# A work's page (/w/<token>, the QR label's address); recording works in a sitting; each child's
# timeline; label sheets, albums and the "ready for school" summary.
urlpatterns = works_urlpatterns + sitting_urlpatterns + timeline_urlpatterns + printing_urlpatterns
