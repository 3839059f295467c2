"""Question banks for HR admins, mounted at /hr/banks/."""

from django.urls import path

from assessments.banks import views as banks

urlpatterns = [
    path("", banks.bank_list, name="hr_bank_list"),
    path("new/", banks.bank_create, name="hr_bank_create"),
    path("import/", banks.bank_import, name="hr_bank_import"),
    path("versions/<int:version_id>/", banks.version_detail, name="hr_bank_version_detail"),
    path("versions/<int:version_id>/copy/", banks.version_copy, name="hr_bank_version_copy"),
    path("versions/<int:version_id>/notes/", banks.version_notes, name="hr_bank_version_notes"),
    path(
        "versions/<int:version_id>/publish/",
        banks.version_publish,
        name="hr_bank_version_publish",
    ),
    path(
        "versions/<int:version_id>/archive/",
        banks.version_archive,
        name="hr_bank_version_archive",
    ),
    path("versions/<int:version_id>/delete/", banks.version_delete, name="hr_bank_version_delete"),
    path(
        "versions/<int:version_id>/export.json",
        banks.version_export,
        name="hr_bank_version_export",
    ),
    path("versions/<int:version_id>/items/new/", banks.item_create, name="hr_bank_item_create"),
    path("items/<int:item_id>/edit/", banks.item_edit, name="hr_bank_item_edit"),
    path("items/<int:item_id>/delete/", banks.item_delete, name="hr_bank_item_delete"),
    path("items/<int:item_id>/move/", banks.item_move, name="hr_bank_item_move"),
]
