from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.roles import ROLE_NAMES, grant_role, revoke_role


class Command(BaseCommand):
    help = (
        "Give a user the HR admin or manager role, or take it away with --remove. "
        "Recorded in the audit log, with no actor: whoever runs a command has the server."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(ROLE_NAMES))
        parser.add_argument("--remove", action="store_true", help="Take the role away.")

    def handle(self, *args, username: str, role: str, remove: bool, **options) -> None:
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user is called {username!r}.") from error
        if remove:
            revoke_role(user, role)
            self.stdout.write(f"{username} is no longer in {ROLE_NAMES[role]}.")
        else:
            grant_role(user, role)
            self.stdout.write(f"{username} is now in {ROLE_NAMES[role]}.")
