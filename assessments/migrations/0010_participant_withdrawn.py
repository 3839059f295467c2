from django.db import migrations, models


def detach_cohort_attempts(apps, schema_editor) -> None:
    """Cohort attempts belong to their personal link. Until now signing in
    in a browser that had opened someone's link attached their attempt to
    the account that signed in, with the power to download or delete it:
    no account keeps a cohort attempt, since none can be told apart from one
    claimed that way. Their owners still reach them through their links."""
    Attempt = apps.get_model("assessments", "Attempt")
    Attempt.objects.filter(participant__isnull=False, user__isnull=False).update(user=None)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0009_participant_disclosure"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="withdrawn_at",
            field=models.DateTimeField(
                blank=True,
                help_text=(
                    "When the person deleted their data. Their answers and result are gone, "
                    "their name and email are replaced, and no email goes to them any more; "
                    "the row stays so that their link can say what happened."
                ),
                null=True,
            ),
        ),
        migrations.RunPython(detach_cohort_attempts, migrations.RunPython.noop),
    ]
