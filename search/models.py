"""The search index: one denormalised document per searchable object.

Case studies, published initiatives, measures and published committee opinions
each have one ``SearchDocument`` holding their text as shown, and the comparison
forms of ``search.text``. Signals (``search.signals``) keep it current;
``manage.py rebuild_search_index`` rebuilds it after a bulk load.
"""

from django.db import models
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from search.text import normalise, query_grams, reading

MAX_QUERY_LENGTH = 100


class DocumentKind(models.TextChoices):
    CASE_STUDY = "case", _("case study")
    INITIATIVE = "initiative", _("initiative")
    MEASURE = "measure", _("measure")
    OPINION = "opinion", _("committee opinion")


class GramsContain(models.Func):
    """True where the document's grams include every one of ``grams``.

    PostgreSQL only: the expression is the one the GIN index of migration 0002 covers.
    """

    output_field = models.BooleanField()

    def __init__(self, grams):
        super().__init__(models.F("grams"))
        self.grams = list(grams)

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"string_to_array({column}, ' ') @> %s::text[]", (*params, self.grams)


def contains(field: str, needle: str) -> GreaterThan:
    """``field`` holds ``needle`` as it is: % and _ are plain characters, not wildcards.

    INSTR (SQLite) and STRPOS (PostgreSQL) compare bytes, several times faster than the
    case-insensitive LIKE that ``__contains`` becomes on SQLite; the forms are folded already.
    """
    return GreaterThan(StrIndex(field, models.Value(needle)), 0)


class SearchQuery:
    """What a person typed, in the forms the index compares."""

    def __init__(self, text: str):
        self.text = " ".join(text.split())[:MAX_QUERY_LENGTH]
        self.normalised = normalise(self.text)
        self.reading = reading(self.normalised) if self.normalised else ""

    def __bool__(self):
        return bool(self.normalised)

    def forms(self) -> list[tuple[str, str]]:
        """(field suffix, needle) pairs: the normalised form, then the reading.

        A query in kana is its own reading, and finds kanji by the documents' reading.
        """
        return [("norm", self.normalised), ("reading", self.reading)]


class SearchDocumentQuerySet(models.QuerySet):
    def visible(self):
        """Documents whose object the public may see now (publication time has come)."""
        return self.filter(
            models.Q(published_at__isnull=True) | models.Q(published_at__lte=timezone.now())
        )

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def matching(self, query: SearchQuery):
        """Documents that contain the query in its normalised or its reading form.

        On PostgreSQL the gram index narrows the candidates first; the substring test
        confirms them (a document may hold every pair of a query without the query).
        """
        if not query:
            return self.none()
        found = models.Q()
        narrowed = models.Q()
        for form, needle in query.forms():
            found |= models.Q(contains(f"title_{form}", needle))
            found |= models.Q(contains(f"body_{form}", needle))
            narrowed |= models.Q(GramsContain(query_grams(needle)))
        if self.db_vendor == "postgresql":
            # The grams of a form are necessary for its substring, so (grams of either
            # form) AND (substring of either form) finds the same documents, and lets the
            # index answer the first half without re-splitting every candidate's grams.
            return self.filter(narrowed, found)
        return self.filter(found)

    def ranked(self, query: SearchQuery):
        """Title matches first, then body matches; the normalised form before the reading."""
        whens = []
        for rank, (field, form) in enumerate(
            (field, form) for field in ("title", "body") for form in query.forms()
        ):
            suffix, needle = form
            whens.append(models.When(contains(f"{field}_{suffix}", needle), then=rank))
        return self.annotate(
            rank=models.Case(*whens, default=len(whens), output_field=models.IntegerField())
        ).order_by("rank", "kind", "object_id")

    def search(self, query: SearchQuery):
        """The search page's queryset: visible documents matching ``query``, ranked."""
        return self.visible().matching(query).ranked(query)

    @property
    def db_vendor(self) -> str:
        from django.db import connections

        return connections[self.db].vendor


class SearchDocument(models.Model):
    """The searchable text of one object, with its comparison forms."""

    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    url = models.CharField(_("address"), max_length=300)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    published_at = models.DateTimeField(
        _("visible from"), null=True, blank=True, help_text=_("Empty: always visible.")
    )
    title_norm = models.TextField(_("normalised title"))
    body_norm = models.TextField(_("normalised body"), blank=True)
    title_reading = models.TextField(_("title reading"), blank=True)
    body_reading = models.TextField(_("body reading"), blank=True)
    grams = models.TextField(_("grams"), blank=True)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        ordering = ["kind", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchdocument_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values), name="searchdocument_kind_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url
