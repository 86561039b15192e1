"""The PostgreSQL side of the search index, in one place for the migrations and ``rebuild``.

SQLite needs none of it: it compares the texts row by row.
"""

TABLE = "search_searchdocument"
INDEX = "search_searchdocument_grams_gin"
# The expression the index covers; a query must spell it the same way to use the index.
# Grams compare byte by byte: the database's collation would only make building the
# index slower (a minute and a half instead of fifty seconds for 100,000 documents).
GRAMS_ARRAY = "(string_to_array({column}, ' ') COLLATE \"C\")"

CREATE_INDEX = (
    # An inverted index of the grams (search.text.grams), so that queries of one and
    # two characters (宮前, 高津) use it too; pg_trgm cannot narrow those.
    # fastupdate off: no pending list of unindexed rows, which every search would scan
    # and which makes the planner prefer a sequential scan after a bulk load.
    f"CREATE INDEX {INDEX} ON {TABLE} USING gin ({GRAMS_ARRAY.format(column='grams')}) "
    "WITH (fastupdate = off)",
    # Without statistics the planner takes every gram for rare and always scans by the
    # index. With them, a common gram (区, の) made it choose a sequential scan, which
    # splits every row's grams: seconds instead of a tenth of one.
    f"ALTER INDEX {INDEX} ALTER COLUMN 1 SET STATISTICS 0",
)
DROP_INDEX = f"DROP INDEX IF EXISTS {INDEX}"

# Keep inline, uncompressed where they fit, what the search reads for every candidate: the
# titles and the comparison forms of the body. The grams (read by the index only) and the
# body as shown (read for the 20 results of a page) go out of line first. Takes effect for
# rows written afterwards.
INLINE_COLUMNS = (
    "kind",
    "url",
    "title",
    "title_norm",
    "title_reading",
    "body_norm",
    "body_reading",
)
LAYOUT = f"ALTER TABLE {TABLE} " + ", ".join(
    f"ALTER COLUMN {column} SET STORAGE MAIN" for column in INLINE_COLUMNS
)
UNDO_LAYOUT = f"ALTER TABLE {TABLE} " + ", ".join(
    f"ALTER COLUMN {column} SET STORAGE EXTENDED" for column in INLINE_COLUMNS
)


def create_index(execute) -> None:
    """Create the gram index; ``execute`` is a cursor's or a schema editor's."""
    for statement in CREATE_INDEX:
        execute(statement)
