"""HR admins' question banks: versions, drafts and their items, publishing, import, export.

A published or archived version is shown read-only; any attempt to change it
gets a 409 page that says why and offers a new draft instead.
"""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from assessments.access import (
    SignedInRequest,
    get_bank_version_for_hr,
    get_item_for_hr,
    hr_admin_required,
)
from assessments.banks import selectors, services
from assessments.banks.forms import (
    AttentionCheckForm,
    BankCreateForm,
    BankImportForm,
    ItemForm,
    ScenarioForm,
    VersionNotesForm,
)
from assessments.banks.selectors import bank_export
from assessments.banks.services import BankError, DraftExists, PublishRefused, VersionNotDraft
from assessments.banks.statistics import version_statistics
from assessments.languages import language_label
from assessments.models import BankVersion, Dimension


def _version_url(version: BankVersion, anchor: str = "") -> str:
    url = reverse("banks:version_detail", kwargs={"version_id": version.pk})
    return f"{url}#{anchor}" if anchor else url


def _refuse_frozen(request: HttpRequest, version: BankVersion) -> HttpResponse:
    """The answer to any change of a version that is no longer a draft: nothing changes."""
    context = {
        "version": version,
        "reason": VersionNotDraft(version),
        "draft": selectors.bank_draft(version.bank),
    }
    return render(request, "hr/banks/refused.html", context, status=409)


def _draft_message(error: DraftExists) -> str:
    return format_html(
        '{} <a class="alert-link" href="{}">{}</a>.',
        error,
        _version_url(error.draft),
        _("Open version %(number)s") % {"number": error.draft.number},
    )


def _render_version(
    request: HttpRequest, version: BankVersion, notes_form: VersionNotesForm | None = None
) -> HttpResponse:
    """A version's page: a draft's editor, with what it still lacks in each
    language it offers, or a published version, read-only."""
    editable = version.is_editable
    items = list(
        version.items.select_related("dimension").prefetch_related("options").order_by("order")
    )
    gaps = selectors.version_translation_gaps(version, items) if editable else []
    context = {
        "version": version,
        "rows": selectors.editor_rows(version, items, gaps),
        "counts": selectors.dimension_counts([version])[version.pk],
        "is_current": selectors.is_current(version),
        "editable": editable,
        "gaps": gaps,
        "languages": [(code, language_label(code)) for code in version.languages],
        "other_languages": [
            (code, language_label(code)) for code in version.languages if code != version.language
        ],
        "problems": selectors.publish_problems(version) if editable else [],
        "notes_form": notes_form or VersionNotesForm(version=version),
        "draft": None if editable else selectors.bank_draft(version.bank),
        "min_items": selectors.MIN_ITEMS_PER_DIMENSION,
    }
    return render(request, "hr/banks/version.html", context)


@hr_admin_required
@require_GET
def bank_list(request: SignedInRequest) -> HttpResponse:
    context = {"banks": selectors.banks_overview(), "dimensions": Dimension.objects.all()}
    return render(request, "hr/banks/list.html", context)


@hr_admin_required
@require_http_methods(["GET", "POST"])
def bank_create(request: SignedInRequest) -> HttpResponse:
    form = BankCreateForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        version = services.bank_create(**form.cleaned_data)
        messages.success(
            request,
            _("%(bank)s is created with an empty draft.") % {"bank": version.bank.name},
        )
        return redirect(_version_url(version))
    return render(request, "hr/banks/create.html", {"form": form})


@hr_admin_required
@require_GET
def version_detail(request: SignedInRequest, version_id: int) -> HttpResponse:
    return _render_version(request, get_bank_version_for_hr(version_id))


@hr_admin_required
@require_safe
def version_statistics_page(request: SignedInRequest, version_id: int) -> HttpResponse:
    """How well the version's items measure, from its completed results."""
    version = get_bank_version_for_hr(version_id)
    scope = _("%(bank)s, version %(number)s") % {
        "bank": version.bank.name,
        "number": version.number,
    }
    context = {
        "statistics": version_statistics(version),
        "scope": scope,
        "back_url": _version_url(version),
        "back_text": scope,
        "population": _(
            "the completed results of this version taken alone, and those in the figures of "
            "any cohort"
        ),
        "make_draft_url": _version_url(version) if not version.is_editable else "",
    }
    return render(request, "hr/statistics.html", context)


@hr_admin_required
@require_POST
def version_copy(request: SignedInRequest, version_id: int) -> HttpResponse:
    source = get_bank_version_for_hr(version_id)
    try:
        draft = services.bank_version_copy(source=source)
    except DraftExists as error:
        messages.error(request, _draft_message(error))
        return redirect(_version_url(source))
    messages.success(
        request,
        _("Version %(number)s is a new draft, copied from version %(source)s.")
        % {"number": draft.number, "source": source.number},
    )
    return redirect(_version_url(draft))


@hr_admin_required
@require_POST
def version_notes(request: SignedInRequest, version_id: int) -> HttpResponse:
    version = get_bank_version_for_hr(version_id)
    if not version.is_editable:
        return _refuse_frozen(request, version)
    form = VersionNotesForm(request.POST, version=version)
    if not form.is_valid():
        return _render_version(request, version, notes_form=form)
    try:
        services.bank_version_notes_update(
            version=version,
            notes=form.cleaned_data["notes"],
            shuffle_items=form.cleaned_data["shuffle_items"],
            languages=form.cleaned_data["languages"],
        )
    except VersionNotDraft:  # published since the check above: nothing was saved
        return _refuse_frozen(request, version)
    messages.success(request, _("The notes and settings are saved."))
    return redirect(_version_url(version, "notes"))


@hr_admin_required
@require_http_methods(["GET", "POST"])
def version_publish(request: SignedInRequest, version_id: int) -> HttpResponse:
    version = get_bank_version_for_hr(version_id)
    if not version.is_editable:
        return _refuse_frozen(request, version)
    context = {
        "version": version,
        "min_items": selectors.MIN_ITEMS_PER_DIMENSION,
        "languages": [(code, language_label(code)) for code in version.languages],
    }
    if request.method == "POST":
        try:
            version = services.bank_version_publish(version=version, by=request.user)
        except VersionNotDraft:
            return _refuse_frozen(request, version)
        except PublishRefused as error:
            context.update(problems=error.problems, refused=True)
            return render(request, "hr/banks/publish.html", context, status=409)
        messages.success(
            request,
            _("Version %(number)s of %(bank)s is published.")
            % {"number": version.number, "bank": version.bank.name},
        )
        return redirect(_version_url(version))
    context["problems"] = selectors.publish_problems(version)
    return render(request, "hr/banks/publish.html", context)


@hr_admin_required
@require_POST
def version_approve(request: SignedInRequest, version_id: int) -> HttpResponse:
    """A second HR admin approves a version the organisation wrote for
    pseudonymised cohorts."""
    version = get_bank_version_for_hr(version_id)
    try:
        services.bank_version_approve(version=version, by=request.user)
    except BankError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Version %(number)s may now be used in pseudonymised cohorts.")
            % {"number": version.number},
        )
    return redirect(_version_url(version))


@hr_admin_required
@require_POST
def version_archive(request: SignedInRequest, version_id: int) -> HttpResponse:
    version = get_bank_version_for_hr(version_id)
    try:
        services.bank_version_archive(version=version)
    except BankError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Version %(number)s is archived: new cohorts cannot choose it; results that "
                "used it keep it."
            )
            % {"number": version.number},
        )
    return redirect(_version_url(version))


@hr_admin_required
@require_http_methods(["GET", "POST"])
def version_delete(request: SignedInRequest, version_id: int) -> HttpResponse:
    version = get_bank_version_for_hr(version_id)
    if not version.is_editable:
        return _refuse_frozen(request, version)
    if request.method == "POST":
        try:
            services.bank_version_delete(version=version)
        except BankError as error:
            messages.error(request, str(error))
            return redirect(_version_url(version))
        messages.success(
            request, _("The draft, version %(number)s, is deleted.") % {"number": version.number}
        )
        return redirect("banks:list")
    return render(request, "hr/banks/version_delete.html", {"version": version})


@hr_admin_required
@require_http_methods(["GET", "POST"])
def bank_import(request: SignedInRequest) -> HttpResponse:
    form = BankImportForm()
    if request.method == "POST":
        form = BankImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                version = services.bank_version_import(data=form.cleaned_data["file"])
            except DraftExists as error:
                form.add_error("file", _draft_message(error))
            except BankError as error:
                form.add_error("file", str(error))
            else:
                messages.success(
                    request,
                    _(
                        "Version %(number)s of %(bank)s is imported as a draft. Review it, "
                        "then publish it."
                    )
                    % {"number": version.number, "bank": version.bank.name},
                )
                return redirect(_version_url(version))
    return render(request, "hr/banks/import.html", {"form": form})


@hr_admin_required
@require_GET
def version_export(request: SignedInRequest, version_id: int) -> HttpResponse:
    version = get_bank_version_for_hr(version_id)
    body = json.dumps(bank_export(version), ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"{version.bank.slug}-v{version.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@hr_admin_required
@require_http_methods(["GET", "POST"])
def item_create(request: SignedInRequest, version_id: int) -> HttpResponse:
    version = get_bank_version_for_hr(version_id)
    if not version.is_editable:
        return _refuse_frozen(request, version)
    form = ItemForm(request.POST if request.method == "POST" else None, version=version)
    if form.is_valid():
        try:
            item = services.item_create(version=version, **form.item_fields())
        except VersionNotDraft:
            return _refuse_frozen(request, version)
        messages.success(
            request, _("The item is added at position %(order)s.") % {"order": item.order}
        )
        return redirect(_version_url(version, f"item-{item.pk}"))
    return render(request, "hr/banks/item_form.html", {"form": form, "version": version})


@hr_admin_required
@require_http_methods(["GET", "POST"])
def scenario_create(request: SignedInRequest, version_id: int) -> HttpResponse:
    version = get_bank_version_for_hr(version_id)
    if not version.is_editable:
        return _refuse_frozen(request, version)
    form = ScenarioForm(request.POST if request.method == "POST" else None, version=version)
    if form.is_valid():
        try:
            item = services.scenario_create(version=version, **form.item_fields())
        except VersionNotDraft:
            return _refuse_frozen(request, version)
        messages.success(
            request, _("The scenario is added at position %(order)s.") % {"order": item.order}
        )
        return redirect(_version_url(version, f"item-{item.pk}"))
    return render(request, "hr/banks/scenario_form.html", {"form": form, "version": version})


@hr_admin_required
@require_http_methods(["GET", "POST"])
def attention_create(request: SignedInRequest, version_id: int) -> HttpResponse:
    version = get_bank_version_for_hr(version_id)
    if not version.is_editable:
        return _refuse_frozen(request, version)
    data = request.POST if request.method == "POST" else None
    return _attention_form(request, version, AttentionCheckForm(data, version=version))


def _attention_form(
    request: HttpRequest, version: BankVersion, form: AttentionCheckForm, item=None
) -> HttpResponse:
    if form.is_valid():
        try:
            saved = services.attention_check_save(version=version, item=item, **form.item_fields())
        except VersionNotDraft:
            return _refuse_frozen(request, version)
        messages.success(
            request,
            _("The attention check at position %(order)s is saved.") % {"order": saved.order},
        )
        return redirect(_version_url(version, f"item-{saved.pk}"))
    context = {"form": form, "version": version, "item": item}
    return render(request, "hr/banks/attention_form.html", context)


@hr_admin_required
@require_http_methods(["GET", "POST"])
def item_edit(request: SignedInRequest, item_id: int) -> HttpResponse:
    """A statement's form, a scenario's with its responses, or an attention check's."""
    item = get_item_for_hr(item_id)
    version = item.version
    if not version.is_editable:
        return _refuse_frozen(request, version)
    data = request.POST if request.method == "POST" else None
    if item.is_attention:
        check = AttentionCheckForm(data, instance=item, version=version)
        return _attention_form(request, version, check, item)
    if item.is_scenario:
        scenario = ScenarioForm(data, instance=item, version=version)
        if scenario.is_valid():
            try:
                services.scenario_update(item=item, **scenario.item_fields())
            except VersionNotDraft:
                return _refuse_frozen(request, version)
            messages.success(
                request,
                _("The scenario at position %(order)s is saved.") % {"order": item.order},
            )
            return redirect(_version_url(version, f"item-{item.pk}"))
        context = {"form": scenario, "version": version, "item": item}
        return render(request, "hr/banks/scenario_form.html", context)
    form = ItemForm(data, instance=item, version=version)
    if form.is_valid():
        try:
            services.item_update(item=item, **form.item_fields())
        except VersionNotDraft:
            return _refuse_frozen(request, version)
        messages.success(
            request, _("The item at position %(order)s is saved.") % {"order": item.order}
        )
        return redirect(_version_url(version, f"item-{item.pk}"))
    context = {"form": form, "version": version, "item": item}
    return render(request, "hr/banks/item_form.html", context)


@hr_admin_required
@require_http_methods(["GET", "POST"])
def item_delete(request: SignedInRequest, item_id: int) -> HttpResponse:
    item = get_item_for_hr(item_id)
    version = item.version
    if not version.is_editable:
        return _refuse_frozen(request, version)
    if request.method == "POST":
        try:
            services.item_delete(item=item)
        except VersionNotDraft:
            return _refuse_frozen(request, version)
        messages.success(
            request, _("The item at position %(order)s is deleted.") % {"order": item.order}
        )
        return redirect(_version_url(version, "items"))
    return render(request, "hr/banks/item_delete.html", {"item": item, "version": version})


@hr_admin_required
@require_POST
def item_move(request: SignedInRequest, item_id: int) -> HttpResponse:
    item = get_item_for_hr(item_id)
    version = item.version
    if not version.is_editable:
        return _refuse_frozen(request, version)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        return HttpResponseBadRequest(_("Move an item up or down."))
    try:
        item = services.item_move(item=item, up=direction == "up")
    except VersionNotDraft:
        return _refuse_frozen(request, version)
    messages.success(
        request,
        _("“%(text)s” is now at position %(order)s.") % {"text": item.text, "order": item.order},
    )
    return redirect(_version_url(version, f"item-{item.pk}"))
