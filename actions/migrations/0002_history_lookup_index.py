# An index for "an action's history, newest first": the dashboards' "a month ago" figures (one lookup per action),
# the action page's timeline and the digests all read the history that way. django-simple-history's own indexes
# are on history_date and id separately; with 180,000 history rows at national scale the national overview's
# per-plan figures took 600 ms without this index and 75 ms with it (bench/README.md).
# The historical model's state does not describe indexes, so the index is created in SQL (valid for PostgreSQL
# and SQLite) and makemigrations leaves it alone. On a large production table, build it CONCURRENTLY by hand first;
# IF NOT EXISTS then makes this migration a no-op.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                'CREATE INDEX IF NOT EXISTS "hist_action_id_date_idx" '
                'ON "actions_historicalaction" ("id", "history_date" DESC, "history_id" DESC)'
            ),
            reverse_sql='DROP INDEX IF EXISTS "hist_action_id_date_idx"',
        ),
    ]
