from django.urls import include, path

app_name = "reports"

# The school's own report and its submission (urls_school), and the authorities' dashboard (urls_area).
urlpatterns = [
    path("reports/", include("reports.urls_school")),
    path("reports/", include("reports.urls_area")),
]
