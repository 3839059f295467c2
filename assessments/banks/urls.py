"""Question banks for HR admins, mounted at /hr/banks/."""

from django.urls import path

from assessments.banks import views as banks

app_name = "banks"

urlpatterns = [
    path("", banks.bank_list, name="list"),
    path("new/", banks.bank_create, name="create"),
    path("import/", banks.bank_import, name="import"),
    path("versions/<int:version_id>/", banks.version_detail, name="version_detail"),
    path("versions/<int:version_id>/copy/", banks.version_copy, name="version_copy"),
    path(
        "versions/<int:version_id>/statistics/",
        banks.version_statistics_page,
        name="version_statistics",
    ),
    path("versions/<int:version_id>/notes/", banks.version_notes, name="version_notes"),
    path(
        "versions/<int:version_id>/publish/",
        banks.version_publish,
        name="version_publish",
    ),
    path(
        "versions/<int:version_id>/archive/",
        banks.version_archive,
        name="version_archive",
    ),
    path(
        "versions/<int:version_id>/approve/",
        banks.version_approve,
        name="version_approve",
    ),
    path("versions/<int:version_id>/delete/", banks.version_delete, name="version_delete"),
    path(
        "versions/<int:version_id>/export.json",
        banks.version_export,
        name="version_export",
    ),
    path("versions/<int:version_id>/items/new/", banks.item_create, name="item_create"),
    path(
        "versions/<int:version_id>/scenarios/new/",
        banks.scenario_create,
        name="scenario_create",
    ),
    path(
        "versions/<int:version_id>/attention-checks/new/",
        banks.attention_create,
        name="attention_create",
    ),
    path("items/<int:item_id>/edit/", banks.item_edit, name="item_edit"),
    path("items/<int:item_id>/delete/", banks.item_delete, name="item_delete"),
    path("items/<int:item_id>/move/", banks.item_move, name="item_move"),
]
