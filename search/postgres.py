"""The PostgreSQL side of the search index, in one place for the migrations and ``rebuild``.

SQLite needs none of it: it compares the texts row by row.
"""

import logging
from contextlib import contextmanager

from django.db import OperationalError, transaction

logger = logging.getLogger(__name__)

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


@contextmanager
def many_documents(cursor):
    """Documents written inside the block go to the gram index's pending list, which is
    taken into the index at once when the block ends (``gin_clean_pending_list``).

    For an import's thousands of documents: one at a time, each adds its few hundred grams
    to the index by itself, 20 s for 10,000 documents; gathered, 4.6 s. The index is back
    to ``fastupdate = off`` afterwards (see CREATE_INDEX). Switching takes the index's
    exclusive lock for a moment, in a transaction of its own, so it must not be called
    inside one (the lock would stay until it ends and hold up every search); where the
    lock is not had within a second, the documents are simply written one at a time.
    """
    gathering = _set_fastupdate(cursor, on=True)
    if gathering:
        # A pending list four times the default (4 MB): fewer stops to take it into the
        # index while the documents are written. Not room for the whole import's grams
        # (5.8 million for 10,000 documents): every search meanwhile reads the whole list,
        # and at 256 MB a search during an import took 2 s (make bench-import). And room
        # to sort what is taken in at once.
        cursor.execute("SET gin_pending_list_limit = '16MB'")
        cursor.execute("SET maintenance_work_mem = '256MB'")
    try:
        yield
    finally:
        if gathering:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [INDEX])
            cursor.execute("RESET gin_pending_list_limit")
            cursor.execute("RESET maintenance_work_mem")
            if not _set_fastupdate(cursor, on=False):
                # Harmless but for a pending list that autovacuum takes in: say so.
                logger.warning("%s was left with fastupdate on (its lock was busy).", INDEX)


def _set_fastupdate(cursor, *, on: bool) -> bool:
    try:
        with transaction.atomic(using=cursor.db.alias):
            cursor.execute("SET LOCAL lock_timeout = '1s'")
            cursor.execute(f"ALTER INDEX {INDEX} SET (fastupdate = {'on' if on else 'off'})")
    except OperationalError:
        return False
    return True
