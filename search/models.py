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

from core.constraints import valid_choice
from search.postgres import GRAMS_ARRAY
from search.text import TITLE_MARKS, is_gram, normalise, query_grams, reading

MAX_QUERY_LENGTH = 100
PARTS = ("body", "title")
# The order of results: ``rank`` (see ``SearchDocumentQuerySet.ranked``), kind and id.
RANKING = ("rank", "kind", "object_id")
# The title holds the normalised form; the title's reading holds the reading; else the body.
RANKS = (0, 1, 2)


class DocumentKind(models.TextChoices):
    CASE_STUDY = "case", _("case study")
    INITIATIVE = "initiative", _("initiative")
    MEASURE = "measure", _("measure")
    OPINION = "opinion", _("committee opinion")
    PROPOSAL = "proposal", _("proposal")
    # Results of one rank are listed by kind: these two values sort after the others, so
    # that commitments and progress reports follow what the report itself holds.
    COMMITMENT = "promise", _("commitment")
    PROGRESS_REPORT = "progress", _("progress report")


class GramsContain(models.Func):
    """True where the document's grams include every one of ``grams``.

    PostgreSQL only: the expression is the one the GIN index (``search.postgres``) covers.
    """

    output_field = models.BooleanField()

    def __init__(self, grams):
        super().__init__(models.F("grams"))
        self.grams = list(grams)

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{GRAMS_ARRAY.format(column=column)} @> %s::text[]", (*params, self.grams)


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
        self.reading = (reading(self.normalised) or self.normalised) if self.normalised else ""

    def __bool__(self):
        return bool(self.normalised)

    def forms(self) -> list[tuple[str, str]]:
        """(field suffix, needle) pairs: the normalised form, then the reading.

        A query in kana is its own reading, and finds kanji by the documents' reading.
        """
        return [("norm", self.normalised), ("reading", self.reading)] if self else []

    def needles(self) -> list[str]:
        return list(dict.fromkeys(needle for _suffix, needle in self.forms()))

    def comparisons(self) -> list[tuple[str, str]]:
        """(field, needle) pairs of which one must hold for a document to match.

        Each form in the texts of its own form first, bodies before titles (where a
        common word mostly is), then in those of the other form: any text may hold either.
        """
        forms = self.forms()
        own = [(f"{part}_{suffix}", needle) for suffix, needle in forms for part in PARTS]
        other = [
            (f"{part}_{other_suffix}", needle)
            for suffix, needle in forms
            for other_suffix, _needle in forms
            if other_suffix != suffix
            for part in PARTS
        ]
        return list(dict.fromkeys(own + other))


class SearchDocumentQuerySet(models.QuerySet):
    def visible(self):
        """Documents whose object the public may see now (publication time has come)."""
        return self.filter(
            models.Q(published_at__isnull=True) | models.Q(published_at__lte=timezone.now())
        )

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def matching(self, query: SearchQuery, by_index: bool = True):
        """Documents one of whose texts (title or body, normalised or reading) holds the
        query in one of its forms.

        On PostgreSQL the gram index finds the candidates. A form of up to three
        characters is itself a gram, which the index finds exactly; a longer one needs
        the substring test, since a text may hold all of its triples without it.
        ``by_index=False`` leaves the index out, for a scan in another index's order that
        stops early.
        """
        if not query:
            return self.none()
        found = models.Q()
        for field, needle in query.comparisons():
            found |= models.Q(contains(field, needle))
        if self.db_vendor != "postgresql" or not by_index:
            return self.filter(found)
        needles = query.needles()
        narrowed = models.Q()
        for needle in needles:
            narrowed |= models.Q(GramsContain(query_grams(needle)))
        if all(map(is_gram, needles)):
            return self.filter(narrowed)
        # (grams of a form) is necessary for (a text holds the form): filtering by both
        # ORs lets the index answer the first without re-splitting each candidate's grams.
        return self.filter(narrowed, found)

    def ranked(self, query: SearchQuery):
        """Title matches first, the normalised form before the reading; then body matches.

        Only the titles are compared: a match not in the title is in the body. A title
        holding a form only in the other form's text counts as a body match, as its
        highlighting shows none.
        """
        whens = [
            models.When(contains(f"title_{suffix}", needle), then=rank)
            for rank, (suffix, needle) in enumerate(query.forms())
        ]
        return self.annotate(
            rank=models.Case(*whens, default=RANKS[-1], output_field=models.IntegerField())
        ).order_by(*RANKING)

    def ranked_as(self, query: SearchQuery, rank: int, by_index: bool = True):
        """The matches that ``ranked`` ranks ``rank``, in its order (``by_index``: as for
        ``matching``; the index holds each title's grams apart, marked)."""
        forms = query.forms()
        if rank < len(forms):
            suffix, needle = forms[rank]
            found = self.filter(contains(f"title_{suffix}", needle))
            if by_index and self.db_vendor == "postgresql":
                found = found.filter(GramsContain(query_grams(needle, TITLE_MARKS[suffix])))
        else:
            found = self.matching(query, by_index=by_index)
        for suffix, needle in forms[:rank]:
            found = found.exclude(contains(f"title_{suffix}", needle))
        return found.annotate(rank=models.Value(rank)).order_by(*RANKING[1:])

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
            valid_choice("kind", DocumentKind, "searchdocument_kind_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url
