from django.db import migrations

# Used by positions.search on PostgreSQL: ranking a party's passages for a statement.
CREATE = """
CREATE INDEX IF NOT EXISTS passage_search_dutch ON positions_passage
USING GIN (to_tsvector('dutch', heading || ' ' || text))
"""
DROP = "DROP INDEX IF EXISTS passage_search_dutch"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("positions", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
