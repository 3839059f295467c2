"""The world the leak probe fills every URL with: objects that belong to
participant A (alice), team A and their cohort, and everyone who might try
to reach them (tests/test_leak_probe.py says who may)."""

from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.models import Attempt
from tests import cast
from tests.helpers import page_answers
from tests.probe import World


def build_world() -> World:
    version = cast.published_bank()
    draft = cast.draft_of(version)
    hr_admin = cast.hr_admin()
    alice, bob = cast.participant("alice"), cast.participant("bob")
    team_a, team_b = cast.teams("EMEA sales", "US sales")
    manager_a = cast.manager("martin", teams=[team_a])
    manager_b = cast.manager("maria", teams=[team_b])
    cohort = cast.open_cohort(
        bank_version=version, created_by=hr_admin, teams=[team_a, team_b], join_link=True
    )
    cast.completed(cohort, team_a, 5, "a-person")
    cast.completed(cohort, team_b, 5, "b-person")
    waiting = cast.invited(cohort, team_a, 1, "a-invited")[0]

    # Each participant took the assessment in the cohort through their
    # personal link in the browser they sign in with (the result stays with
    # the link), and has an attempt of their own going.
    result_a = cast.cohort_result(cohort, team_a, "alice")
    result_b = cast.cohort_result(cohort, team_b, "bob")
    attempt_a = cast.attempt_in_progress(version, alice, pages=1)
    cast.attempt_in_progress(version, bob, pages=1)

    pending = cast.pending_import(cohort, hr_admin)
    invitation = cast.manager_invitation(team_a, hr_admin)
    share = cast.shared(result_a)

    sessions = {
        "participant_a": cast.session_key(alice, holding=[result_a.attempt_id]),
        "participant_b": cast.session_key(bob, holding=[result_b.attempt_id]),
        "manager_a": cast.session_key(manager_a),
        "manager_b": cast.session_key(manager_b),
        "hr_admin": cast.session_key(hr_admin),
    }
    return World(
        values={
            "attempt_id": str(attempt_a.pk),
            "number": "1",
            "code": cohort.join_code,
            "cohort_id": str(cohort.pk),
            "team_id": str(team_a.pk),
            "import_id": str(pending.pk),
            "participant_id": str(waiting.pk),
            "kind": "invitations",
            "fmt": "csv",
            "share_id": str(share.pk),
            "user_id": str(manager_a.pk),  # team A's manager, for removing them
            "version_id": str(draft.pk),  # a draft, which HR may still change
            "published_id": str(version.pk),
            "item_id": str(draft.items.order_by("order")[0].pk),
            "uidb64": urlsafe_base64_encode(force_bytes(alice.pk)),
            # Django's admin
            "app_label": "assessments",
            "object_id": str(attempt_a.pk),
            "content_type_id": str(ContentType.objects.get_for_model(Attempt).pk),
            "id": str(alice.pk),
            "url": "no-such-page/",
        },
        values_by_prefix={
            "results/": {"token": result_a.token},
            "invite/": {"token": waiting.token},
            "managers/accept/": {"token": invitation.token},
            "accounts/reset/": {"token": default_token_generator.make_token(alice)},
            # What only a published version allows: a copy, archiving, an export.
            **{
                f"hr/banks/versions/<int:version_id>/{action}": {"version_id": str(version.pk)}
                for action in ("copy/", "archive/", "approve/", "export.json")
            },
        },
        sessions=sessions,
        post_bodies={
            # Answers that differ from the ones saved, and stopping a share.
            "taking:attempt_page": page_answers(attempt_a, 1, 1),
            "taking:attempt_autosave": page_answers(attempt_a, 1, 1),
            "taking:result_share": {"shared": "off"},
            "cohorts:join_link": {"enabled": "off"},
            "cohorts:team_list": {"name": "APAC sales"},
            "cohorts:team_detail": {"email": "someone@example.com"},
            "cohorts:participant_add": {
                "name": "Eve",
                "email": "eve@example.com",
                "team": str(team_a.pk),
            },
            "banks:version_notes": {"notes": "Shorter items."},
            "banks:item_move": {"direction": "down"},
        },
        private_markers=[str(attempt_a.pk), result_a.token, str(result_a.attempt_id)],
    )
