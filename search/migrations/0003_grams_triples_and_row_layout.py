# Written by hand: the grams gain the triples of characters and the titles' marked grams;
# on PostgreSQL the rows are rewritten in the layout of search.postgres, and the gram
# index is built once after.

from django.db import migrations

from search import postgres

COLUMNS = (
    "id, kind, object_id, url, title, body, published_at, "
    "title_norm, body_norm, title_reading, body_reading, grams"
)
BATCH = 2000
EARLIER_INDEX = (
    f"CREATE INDEX {postgres.INDEX} ON {postgres.TABLE} "
    "USING gin (string_to_array(grams, ' ')) WITH (fastupdate = off)"
)


def grams(title_norm, body_norm, title_reading, body_reading):
    """search.text.grams as of this migration: characters, pairs and triples of each text,
    and those of each title again, marked N (normalised) or R (reading)."""
    found = texts_grams(title_norm, title_reading, body_norm, body_reading)
    found.update("N" + gram for gram in texts_grams(title_norm))
    found.update("R" + gram for gram in texts_grams(title_reading))
    return " ".join(found)


def texts_grams(*texts):
    found = set()
    for text in texts:
        pairs = list(map(str.__add__, text, text[1:]))
        found.update(text)
        found.update(pairs)
        found.update(map(str.__add__, pairs, text[2:]))
    return found


def rows_with_new_grams(cursor):
    last = 0
    while True:
        cursor.execute(
            f"SELECT {COLUMNS} FROM {postgres.TABLE} WHERE id > %s ORDER BY id LIMIT %s",
            [last, BATCH],
        )
        rows = cursor.fetchall()
        if not rows:
            return
        yield [(*row[:11], grams(*row[7:11])) for row in rows]
        last = rows[-1][0]


def rewrite(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            for batch in rows_with_new_grams(cursor):
                cursor.executemany(
                    f"UPDATE {postgres.TABLE} SET grams = %s WHERE id = %s",
                    [(row[11], row[0]) for row in batch],
                )
            return
        schema_editor.execute(postgres.DROP_INDEX)
        schema_editor.execute(postgres.LAYOUT)
        # Rows written anew take the layout; rows merely updated would keep their texts
        # compressed in place.
        cursor.execute(
            "CREATE TEMPORARY TABLE search_rewrite AS "
            f"SELECT {COLUMNS} FROM {postgres.TABLE} WITH NO DATA"
        )
        for batch in rows_with_new_grams(cursor):
            with cursor.copy(f"COPY search_rewrite ({COLUMNS}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
        cursor.execute(f"TRUNCATE {postgres.TABLE}")
        cursor.execute(f"INSERT INTO {postgres.TABLE} ({COLUMNS}) SELECT * FROM search_rewrite")
        cursor.execute("DROP TABLE search_rewrite")
        postgres.create_index(schema_editor.execute)


def undo(apps, schema_editor):
    # The pairs stay among the grams, so the earlier queries find what they did, given
    # the index they were written for.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(postgres.DROP_INDEX)
        schema_editor.execute(postgres.UNDO_LAYOUT)
        schema_editor.execute(EARLIER_INDEX)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0002_grams_index_on_postgresql"),
    ]

    operations = [
        migrations.RunPython(rewrite, undo),
    ]
