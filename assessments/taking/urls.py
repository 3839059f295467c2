"""Taking the assessment and reading one's result."""

from django.urls import path

from assessments import converters  # noqa: F401  (registers <token:>)
from assessments.taking import report_pdf, results
from assessments.taking import views as taking

app_name = "taking"

urlpatterns = [
    path("", taking.home, name="home"),
    path("assessment/start/", taking.attempt_start, name="attempt_start"),
    path("assessment/<uuid:attempt_id>/resume/", taking.attempt_resume, name="attempt_resume"),
    path("assessment/<uuid:attempt_id>/answers/", taking.attempt_autosave, name="attempt_autosave"),
    path(
        "assessment/<uuid:attempt_id>/pages/<int:number>/",
        taking.attempt_page,
        name="attempt_page",
    ),
    path("results/<token:token>/", results.result_detail, name="result_detail"),
    path("results/<token:token>/share/", results.result_share, name="result_share"),
    path("results/<token:token>/report.pdf", report_pdf.result_pdf, name="result_pdf"),
]
