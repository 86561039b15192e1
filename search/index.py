"""What each kind of object puts in the search index, and keeping the index current."""

import itertools
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import translation

from core import pagecache, versions
from feedback.models import Opinion, OpinionState
from initiatives.models import (
    CaseStudy,
    Commitment,
    Initiative,
    InitiativePoint,
    InitiativeStatus,
    Measure,
    Photo,
    ProgressReport,
)
from proposals.models import Proposal
from search import postgres
from search.models import DocumentKind, SearchDocument
from search.text import grams, normalise, reading


def _lines(*parts: Any) -> str:
    return "\n".join(str(part) for part in parts if part)


@dataclass(frozen=True)
class Source:
    """One kind of indexed object: its public queryset and its document's text."""

    kind: str
    model: type[models.Model]

    def queryset(self) -> models.QuerySet:
        raise NotImplementedError

    def title(self, obj) -> str:
        raise NotImplementedError

    def body(self, obj) -> str:
        raise NotImplementedError

    def published_at(self, obj):
        return None

    def documents(self, objects: list) -> list[SearchDocument]:
        """The documents of a batch of objects from ``queryset()``."""
        return [self.document(obj) for obj in objects]

    def document(self, obj) -> SearchDocument:
        title, body = self.title(obj)[:300], self.body(obj)
        title_norm, body_norm = normalise(title), normalise(body)
        title_reading, body_reading = reading(title), reading(body)
        # Addresses are stored in the default language; the page translates them.
        with translation.override(settings.LANGUAGE_CODE):
            url = obj.get_absolute_url()
        return SearchDocument(
            kind=self.kind,
            object_id=obj.pk,
            url=url,
            title=title,
            body=body,
            published_at=self.published_at(obj),
            title_norm=title_norm,
            body_norm=body_norm,
            title_reading=title_reading,
            body_reading=body_reading,
            grams=grams(title_norm, title_reading, body_norm, body_reading),
        )


class CaseStudySource(Source):
    def queryset(self):
        return CaseStudy.objects.select_related("vision", "focus_area").prefetch_related(
            "organisational_changes"
        )

    def title(self, obj):
        return str(obj)

    def body(self, obj):
        return _lines(
            obj.vision.title,
            obj.focus_area.title,
            obj.plan_heading,
            obj.plan_item,
            obj.main_heading,
            obj.others_heading,
            *(change.text for change in obj.organisational_changes.all()),
        )


class InitiativeSource(Source):
    def queryset(self):
        return Initiative.objects.filter(status=InitiativeStatus.PUBLISHED).select_related("ward")

    def documents(self, objects):
        # The texts of the departments, points and photos as plain values, three queries
        # a batch: an import's 10,000 initiatives hold some 80,000 points, and building
        # them as model instances took longer than reading them.
        texts = {obj.pk: ([], [], []) for obj in objects}
        departments = Initiative.departments.through.objects.filter(initiative_id__in=texts)
        for initiative_id, name in departments.order_by("department__name").values_list(
            "initiative_id", "department__name"
        ):
            texts[initiative_id][0].append(name)
        points = InitiativePoint.objects.filter(initiative_id__in=texts).order_by(
            "initiative_id", "part", "position", "pk"
        )
        for initiative_id, text in points.values_list("initiative_id", "text"):
            texts[initiative_id][1].append(text)
        photos = Photo.objects.filter(initiative_id__in=texts)
        for initiative_id, caption in photos.order_by("position", "pk").values_list(
            "initiative_id", "caption"
        ):
            texts[initiative_id][2].append(caption)
        for obj in objects:
            obj.search_texts = texts[obj.pk]
        return super().documents(objects)

    def title(self, obj):
        return obj.title

    def body(self, obj):
        departments, points, captions = obj.search_texts
        return _lines(obj.ward.name, *departments, obj.summary, *points, *captions)

    def published_at(self, obj):
        return obj.published_at


class MeasureSource(Source):
    def queryset(self):
        return Measure.objects.select_related("focus_area__vision")

    def title(self, obj):
        return obj.title

    def body(self, obj):
        with translation.override(settings.LANGUAGE_CODE):
            year = obj.fiscal_year_display
        return _lines(year, obj.focus_area.title, obj.focus_area.vision.title)


class OpinionSource(Source):
    def queryset(self):
        # A reply shows only while its comment does (as on the case page).
        return (
            Opinion.objects.published()
            .filter(Q(parent__isnull=True) | Q(parent__state=OpinionState.PUBLISHED))
            .select_related("case_study", "section")
        )

    def title(self, obj):
        return obj.topic or str(obj.case_study or obj.section)

    def body(self, obj):
        return obj.body


class CommitmentSource(Source):
    """Public commitments: the city's own and those of published initiatives."""

    def queryset(self):
        return Commitment.objects.public().select_related(
            "initiative__ward", "section_point__section"
        )

    def title(self, obj):
        return obj.text

    def body(self, obj):
        if obj.initiative_id is None:
            return _lines(obj.section_point.section.title, obj.period)
        return _lines(obj.initiative.ward.name, obj.initiative.title, obj.period)


class ProgressReportSource(Source):
    """Published progress reports of public commitments."""

    def queryset(self):
        return ProgressReport.objects.published().select_related("commitment__initiative__ward")

    def title(self, obj):
        return obj.commitment.text

    def body(self, obj):
        initiative = obj.commitment.initiative
        return _lines(initiative.ward.name if initiative else "", obj.text)


class ProposalSource(Source):
    def queryset(self):
        return Proposal.objects.published().select_related("ward", "answer")

    def title(self, obj):
        return obj.title

    def body(self, obj):
        # Never the e-mail address; the name only as shown.
        answer = getattr(obj, "answer", None)
        return _lines(
            obj.ward.name,
            obj.display_name,
            obj.text,
            answer and answer.way_forward,
            answer and answer.text,
        )

    def published_at(self, obj):
        return obj.published_at


SOURCES = {
    source.kind: source
    for source in (
        CaseStudySource(DocumentKind.CASE_STUDY, CaseStudy),
        InitiativeSource(DocumentKind.INITIATIVE, Initiative),
        MeasureSource(DocumentKind.MEASURE, Measure),
        OpinionSource(DocumentKind.OPINION, Opinion),
        CommitmentSource(DocumentKind.COMMITMENT, Commitment),
        ProgressReportSource(DocumentKind.PROGRESS_REPORT, ProgressReport),
        ProposalSource(DocumentKind.PROPOSAL, Proposal),
    )
}
KIND_OF_MODEL = {source.model: kind for kind, source in SOURCES.items()}


def version(kind: str) -> int:
    """Moves whenever a document of ``kind`` changes: part of the key of anything cached
    from what those documents match (the lists' text filter)."""
    return versions.current(f"search:{kind}")


def documents_changed(*kinds: str) -> None:
    """Move the versions of ``kinds`` now, and again when the change is committed: a
    reader between the two may have cached the old matches under the first move."""

    def move():
        for kind in kinds:
            versions.move(f"search:{kind}")

    move()
    transaction.on_commit(move)
    # Documents are written in bulk, past the model signals that the page cache hears.
    pagecache.content_changed()


INDEX_BATCH = 1000


def index_objects(model: type[models.Model], pks: Iterable[int]) -> None:
    """Bring the documents of these objects up to date, dropping those no longer public."""
    kind = KIND_OF_MODEL[model]
    source = SOURCES[kind]
    pks = sorted(set(pks))
    many = (
        len(pks) > INDEX_BATCH
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )
    with connection.cursor() as cursor, postgres.many_documents(cursor) if many else nullcontext():
        # A batch at a time: an import of 10,000 initiatives would otherwise hold all of
        # them, their points and their documents in memory at once (some 300 MB).
        for start in range(0, len(pks), INDEX_BATCH):
            batch = pks[start : start + INDEX_BATCH]
            documents = source.documents(list(source.queryset().filter(pk__in=batch)))
            with transaction.atomic():
                # A raw delete: search documents have no dependants, and Django's delete
                # would first read every old document whole (a post_delete receiver
                # listens to every model).
                stale = SearchDocument.objects.filter(kind=kind, object_id__in=batch)
                stale._raw_delete(connection.alias)
                if connection.vendor == "postgresql":
                    _copy_documents(cursor, documents, postgres.TABLE)
                else:
                    SearchDocument.objects.bulk_create(documents)
    documents_changed(kind)


def _copy_documents(cursor, documents, table: str) -> None:
    """Write these documents into ``table`` with one COPY (PostgreSQL), ids from the
    table's sequence: no statement with a thousand rows' parameters to build."""
    fields = [field for field in SearchDocument._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for document in documents:
            copy.write_row([getattr(document, field.attname) for field in fields])


_pending = threading.local()


def schedule(model: type[models.Model], pks: Iterable[int]) -> None:
    """Index these objects when the current transaction commits (at once outside one).

    An admin save writes an initiative and each of its points and photos in one
    transaction: the pending set indexes the initiative once, not once per row.
    """
    if not hasattr(_pending, "items"):
        _pending.items = defaultdict(set)
    _pending.items[model].update(pks)
    transaction.on_commit(flush)


def flush() -> None:
    """Index every object scheduled so far."""
    items = getattr(_pending, "items", None)
    _pending.items = defaultdict(set)
    for model, pks in (items or {}).items():
        if pks:
            index_objects(model, pks)


def remove_objects(model: type[models.Model], pks: Iterable[int]) -> None:
    SearchDocument.objects.filter(kind=KIND_OF_MODEL[model], object_id__in=set(pks)).delete()
    documents_changed(KIND_OF_MODEL[model])


def batches(batch_size: int = 1000) -> Iterator[list[SearchDocument]]:
    """The documents of every public object, ``batch_size`` at a time."""
    for source in SOURCES.values():
        objects = source.queryset().iterator(chunk_size=batch_size)
        while chunk := list(itertools.islice(objects, batch_size)):
            yield source.documents(chunk)


def rebuild(batch_size: int = 1000) -> int:
    """Rebuild the whole index; returns the number of documents.

    Searches see the old index until the new one is complete.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            total = _rebuild_postgresql(batch_size)
        else:
            SearchDocument.objects.all().delete()
            total = sum(
                len(SearchDocument.objects.bulk_create(batch)) for batch in batches(batch_size)
            )
    documents_changed(*SOURCES)
    return total


def _rebuild_postgresql(batch_size: int) -> int:
    """Write the documents to a scratch table, then swap them in and index them at once.

    Adding rows one by one to the gram index costs far more than building it from all
    rows. Reading the objects and their readings (most of the time) happens before the
    table is locked: searches wait only for the swap and the index build.
    """
    fields = [field for field in SearchDocument._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE search_rebuild AS "
            f"SELECT {columns} FROM {postgres.TABLE} WITH NO DATA"
        )
        for batch in batches(batch_size):
            # One COPY a batch: the connection runs no other query during a COPY, and
            # reading the next batch's objects needs it.
            _copy_documents(cursor, batch, "search_rebuild")
            total += len(batch)
        cursor.execute(postgres.DROP_INDEX)
        cursor.execute(f"TRUNCATE {postgres.TABLE}")
        cursor.execute(
            f"INSERT INTO {postgres.TABLE} ({columns}) SELECT {columns} FROM search_rebuild"
        )
        cursor.execute("DROP TABLE search_rebuild")
        postgres.create_index(cursor.execute)
        cursor.execute(f"ANALYZE {postgres.TABLE}")
    return total
