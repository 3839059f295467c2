from django.urls import path

from assessments.cohorts.views import cohorts, exports, outbox, participants, schedule, teams

app_name = "cohorts"

urlpatterns = [
    path("", cohorts.cohort_list, name="list"),
    path("cohorts/new/", cohorts.cohort_create, name="create"),
    path("cohorts/<int:cohort_id>/", cohorts.cohort_detail, name="detail"),
    path("cohorts/<int:cohort_id>/edit/", cohorts.cohort_edit, name="edit"),
    path("cohorts/<int:cohort_id>/open/", cohorts.cohort_open, name="open"),
    path("cohorts/<int:cohort_id>/close/", cohorts.cohort_close, name="close"),
    path("cohorts/<int:cohort_id>/join-link/", cohorts.cohort_join_link, name="join_link"),
    path(
        "cohorts/<int:cohort_id>/statistics/",
        cohorts.cohort_statistics_page,
        name="statistics",
    ),
    path(
        "cohorts/<int:cohort_id>/participants/",
        participants.participant_list,
        name="participants",
    ),
    path(
        "cohorts/<int:cohort_id>/participants/add/",
        participants.participant_add,
        name="participant_add",
    ),
    path(
        "cohorts/<int:cohort_id>/participants/import/",
        participants.participant_import,
        name="import",
    ),
    path(
        "cohorts/<int:cohort_id>/imports/<int:import_id>/",
        participants.import_preview,
        name="import_preview",
    ),
    path(
        "cohorts/<int:cohort_id>/imports/<int:import_id>/confirm/",
        participants.import_confirm,
        name="import_confirm",
    ),
    path(
        "cohorts/<int:cohort_id>/imports/<int:import_id>/cancel/",
        participants.import_cancel,
        name="import_cancel",
    ),
    path(
        "cohorts/<int:cohort_id>/participants/<int:participant_id>/confirm-team/",
        participants.participant_team_confirm,
        name="participant_team_confirm",
    ),
    path(
        "cohorts/<int:cohort_id>/participants/<int:participant_id>/invite/",
        participants.participant_invite,
        name="participant_invite",
    ),
    path(
        "cohorts/<int:cohort_id>/participants/<int:participant_id>/remove/",
        participants.participant_remove,
        name="participant_remove",
    ),
    path(
        "cohorts/<int:cohort_id>/emails/<str:kind>/",
        outbox.emails_queue,
        name="emails_queue",
    ),
    path("cohorts/<int:cohort_id>/outbox/", outbox.cohort_outbox, name="outbox"),
    path(
        "cohorts/<int:cohort_id>/outbox/status/",
        outbox.outbox_status,
        name="outbox_status",
    ),
    path(
        "cohorts/<int:cohort_id>/outbox/retry/",
        outbox.outbox_retry,
        name="outbox_retry",
    ),
    path(
        "cohorts/<int:cohort_id>/reminders/",
        schedule.cohort_schedule,
        name="schedule",
    ),
    path(
        "cohorts/<int:cohort_id>/results.<str:fmt>",
        exports.cohort_export,
        name="export",
    ),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/<int:team_id>/", teams.team_detail, name="team_detail"),
    path(
        "teams/<int:team_id>/managers/<int:user_id>/remove/",
        teams.team_manager_remove,
        name="team_manager_remove",
    ),
]
