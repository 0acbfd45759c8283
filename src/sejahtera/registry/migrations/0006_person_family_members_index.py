"""A covering index of each family's members on PostgreSQL.

Eligibility rules count a family's members ("size >= 5", "count(member: …)"): with the
merged-into column in the index, the count reads the index alone (an index-only scan), not
the persons' rows scattered over the table. SQLite has no covering indexes (its
``(family, relationship)`` index serves there), so the index is made on PostgreSQL only and
is not part of the model's state.
"""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS person_family_members ON registry_person (family_id) INCLUDE (merged_into_id)"
DROP = "DROP INDEX IF EXISTS person_family_members"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_updated_at_indexes")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP), elidable=False)]
