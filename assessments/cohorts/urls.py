from django.urls import path

from assessments.cohorts.views import cohorts, exports, outbox, participants, teams

urlpatterns = [
    path("", cohorts.cohort_list, name="hr_cohort_list"),
    path("cohorts/new/", cohorts.cohort_create, name="hr_cohort_create"),
    path("cohorts/<int:cohort_id>/", cohorts.cohort_detail, name="hr_cohort_detail"),
    path("cohorts/<int:cohort_id>/edit/", cohorts.cohort_edit, name="hr_cohort_edit"),
    path("cohorts/<int:cohort_id>/open/", cohorts.cohort_open, name="hr_cohort_open"),
    path("cohorts/<int:cohort_id>/close/", cohorts.cohort_close, name="hr_cohort_close"),
    path(
        "cohorts/<int:cohort_id>/join-link/", cohorts.cohort_join_link, name="hr_cohort_join_link"
    ),
    path(
        "cohorts/<int:cohort_id>/participants/add/",
        participants.participant_add,
        name="hr_cohort_participant_add",
    ),
    path(
        "cohorts/<int:cohort_id>/participants/import/",
        participants.participant_import,
        name="hr_cohort_import",
    ),
    path(
        "cohorts/<int:cohort_id>/imports/<int:import_id>/",
        participants.import_preview,
        name="hr_import_preview",
    ),
    path(
        "cohorts/<int:cohort_id>/imports/<int:import_id>/confirm/",
        participants.import_confirm,
        name="hr_import_confirm",
    ),
    path(
        "cohorts/<int:cohort_id>/imports/<int:import_id>/cancel/",
        participants.import_cancel,
        name="hr_import_cancel",
    ),
    path(
        "cohorts/<int:cohort_id>/participants/<int:participant_id>/confirm-team/",
        participants.participant_team_confirm,
        name="hr_participant_team_confirm",
    ),
    path(
        "cohorts/<int:cohort_id>/emails/<str:kind>/",
        outbox.emails_queue,
        name="hr_cohort_emails_queue",
    ),
    path("cohorts/<int:cohort_id>/outbox/", outbox.cohort_outbox, name="hr_cohort_outbox"),
    path(
        "cohorts/<int:cohort_id>/outbox/send/",
        outbox.outbox_send,
        name="hr_cohort_outbox_send",
    ),
    path(
        "cohorts/<int:cohort_id>/outbox/retry/",
        outbox.outbox_retry,
        name="hr_cohort_outbox_retry",
    ),
    path(
        "cohorts/<int:cohort_id>/results.<str:fmt>",
        exports.cohort_export,
        name="hr_cohort_export",
    ),
    path("teams/", teams.team_list, name="hr_team_list"),
    path("teams/<int:team_id>/", teams.team_detail, name="hr_team_detail"),
    path(
        "teams/<int:team_id>/managers/<int:user_id>/remove/",
        teams.team_manager_remove,
        name="hr_team_manager_remove",
    ),
]
