from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.roles import ROLE_NAMES, grant_role


class Command(BaseCommand):
    help = "Give a user the HR admin or manager role."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=sorted(ROLE_NAMES))

    def handle(self, *args, username: str, role: str, **options) -> None:
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user is called {username!r}.") from error
        grant_role(user, role)
        self.stdout.write(f"{username} is now in {ROLE_NAMES[role]}.")
