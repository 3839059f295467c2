"""Django's admin, for superusers. Published banks and results are read-only
here, as they are in the database."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.audit.exports import audit_log_csv
from assessments.audit.services import audit_record
from assessments.cohorts.progress import progress_recount, progress_recount_teams
from assessments.models import (
    Attempt,
    AuditEvent,
    Bank,
    BankVersion,
    Cohort,
    Dimension,
    DimensionScore,
    ExportRecord,
    Item,
    ItemOption,
    ManagerInvitation,
    OutboundEmail,
    Participant,
    Response,
    Result,
    Team,
    TeamManager,
)
from assessments.roles import ROLE_NAMES


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return self.fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "order"]


class BankVersionInline(ReadOnlyInline):
    model = BankVersion
    fields = ["number", "status", "published_at"]
    show_change_link = True


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    inlines = [BankVersionInline]


class DraftOnlyInline(admin.TabularInline):
    """Rows that belong to a bank version, editable while it is a draft."""

    extra = 0

    def version_of(self, obj) -> BankVersion:
        raise NotImplementedError

    def _editable(self, obj) -> bool:
        return obj is None or self.version_of(obj).is_editable

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._editable(obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._editable(obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._editable(obj)


class ItemInline(DraftOnlyInline):
    model = Item
    fields = ["order", "dimension", "kind", "pole", "text", "passage"]
    show_change_link = True  # a scenario's responses are on its own page

    def version_of(self, obj: BankVersion) -> BankVersion:
        return obj


@admin.register(BankVersion)
class BankVersionAdmin(admin.ModelAdmin):
    list_display = ["bank", "number", "status", "published_at"]
    list_filter = ["bank", "status"]
    inlines = [ItemInline]

    def get_readonly_fields(self, request: HttpRequest, obj: BankVersion | None = None):
        # Who published and who approved are a record, set by the services.
        review = ["published_by", "approved_by", "approved_at"]
        if obj is not None and not obj.is_editable:
            return ["bank", "number", "notes", "shuffle_items", "published_at", *review]
        return review


class ItemOptionInline(DraftOnlyInline):
    """A scenario's responses."""

    model = ItemOption
    fields = ["order", "text", "position"]

    def version_of(self, obj: Item) -> BankVersion:
        return obj.version


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["text", "dimension", "kind", "pole", "version", "order"]
    list_filter = ["version", "dimension", "kind", "pole"]
    search_fields = ["text"]
    inlines = [ItemOptionInline]

    def has_change_permission(self, request: HttpRequest, obj: Item | None = None) -> bool:
        return obj is None or obj.version.is_editable

    def has_delete_permission(self, request: HttpRequest, obj: Item | None = None) -> bool:
        return obj is None or obj.version.is_editable


class ResponseInline(ReadOnlyInline):
    model = Response
    fields = ["item", "value", "answered_at"]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "bank_version", "status", "started_at", "submitted_at"]
    list_filter = ["status"]
    inlines = [ResponseInline]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["attempt", "item", "value", "answered_at"]


class DimensionScoreInline(ReadOnlyInline):
    model = DimensionScore
    fields = ["dimension", "score", "band"]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["attempt", "overall", "band", "bank_version", "scoring_version", "created_at"]
    list_filter = ["band", "scoring_version"]
    exclude = ["token"]
    inlines = [DimensionScoreInline]


@admin.register(DimensionScore)
class DimensionScoreAdmin(ReadOnlyAdmin):
    list_display = ["result", "dimension", "score", "band"]


class TeamManagerInline(admin.TabularInline):
    model = TeamManager
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [TeamManagerInline]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "bank_version", "identified", "opens_at", "closes_at"]
    list_filter = ["status", "identified"]
    search_fields = ["name"]
    filter_horizontal = ["teams"]
    readonly_fields = ["join_code", "identified", "created_by", "created_at", "closed_at"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "cohort", "team", "source", "created_at"]
    list_filter = ["cohort", "team", "source"]
    search_fields = ["name", "email"]
    # Moving someone to another cohort or team would put the dashboards'
    # running totals out of step with their result.
    readonly_fields = ["cohort", "team", "token", "pseudonym"]

    # HR's stored progress follows changes made here too.
    def save_model(self, request: HttpRequest, obj: Participant, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        progress_recount(obj.cohort_id, [obj.team_id])

    def delete_model(self, request: HttpRequest, obj: Participant) -> None:
        super().delete_model(request, obj)
        progress_recount(obj.cohort_id, [obj.team_id])

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        teams = list(queryset.values_list("cohort_id", "team_id").order_by().distinct())
        super().delete_queryset(request, queryset)
        progress_recount_teams(teams)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["to", "kind", "status", "cohort", "queued_at", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["to"]


@admin.register(ManagerInvitation)
class ManagerInvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "team", "created_at", "accepted_at", "accepted_by"]


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin):
    list_display = ["cohort", "user", "format", "identified", "row_count", "created_at"]
    list_filter = ["identified", "format"]


# --- The audit log (docs/audit.md) -------------------------------------------------


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Superusers read the log, filter it and export it; nobody changes it
    (the database refuses, too)."""

    list_display = ["at", "action", "actor_name", "actor_id", "target", "request_id"]
    list_filter = ["action", "actor_name"]
    date_hierarchy = "at"
    # A target by its start (cohort:3, or every participant), a request by its id.
    search_fields = ["^target", "=request_id"]
    readonly_fields = ["at", "action", "actor_id", "actor_name", "target", "detail", "request_id"]
    actions = ["export_csv"]
    show_full_result_count = False  # the log only grows: no count of all of it on every page

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=_("Export the selected events as CSV"))
    def export_csv(self, request: HttpRequest, queryset) -> StreamingHttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        detail = {"export": "audit_log", "format": "csv", "rows": queryset.count()}
        audit_record(
            action=AuditEvent.Action.EXPORTED,
            actor=request.user,
            target="auditevent",
            detail=detail,
        )
        response = StreamingHttpResponse(
            audit_log_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="audit-log-{timezone.now():%Y-%m-%d}.csv"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


# Role grants and account deletions made on Django's own user pages are
# recorded as the product's are: the admin is one more way to make them.
admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    def _roles(self, user: User) -> set[str]:
        names = set(user.groups.values_list("name", flat=True))
        return {role for role, name in ROLE_NAMES.items() if name in names}

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_superuser" in form.changed_data:
            action = (
                AuditEvent.Action.ROLE_GRANTED
                if obj.is_superuser
                else AuditEvent.Action.ROLE_REMOVED
            )
            audit_record(
                action=action, actor=request.user, target=obj, detail={"role": "superuser"}
            )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        before = self._roles(form.instance)
        super().save_related(request, form, formsets, change)
        after = self._roles(form.instance)
        for role in sorted(after - before):
            audit_record(
                action=AuditEvent.Action.ROLE_GRANTED,
                actor=request.user,
                target=form.instance,
                detail={"role": role},
            )
        for role in sorted(before - after):
            audit_record(
                action=AuditEvent.Action.ROLE_REMOVED,
                actor=request.user,
                target=form.instance,
                detail={"role": role},
            )

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        audit_record(action=AuditEvent.Action.ACCOUNT_DELETED, actor=request.user, target=obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for user in queryset:
            audit_record(action=AuditEvent.Action.ACCOUNT_DELETED, actor=request.user, target=user)
        super().delete_queryset(request, queryset)
