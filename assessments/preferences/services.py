from django.contrib.auth.models import User
from django.db import transaction

from assessments.models import Preference


@transaction.atomic
def preference_update(*, user: User, **fields: str) -> Preference:
    """Save some of a person's preferences, leaving the others as they are."""
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    for name, value in fields.items():
        setattr(preference, name, value)
    preference.full_clean()
    preference.save()
    return preference
