"""What the report's models and the wards' initiatives share: lists of points, natural
keys, fiscal-year fields, publication times."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.constraints import valid_choice
from core.fiscal_years import FIRST_ERA_YEAR, LAST_YEAR


class NaturalKeyManager(models.Manager):
    """Looks objects up by the fields their ``natural_key()`` returns."""

    natural_key_fields: tuple[str, ...] = ("number",)

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.natural_key_fields, values, strict=True)))


class SlugManager(NaturalKeyManager):
    natural_key_fields = ("slug",)


def has_come(moment) -> bool:
    """Whether a publication time is set and has come: ``published()``'s condition on the
    time, for one object."""
    return moment is not None and moment <= timezone.now()


def fiscal_year_field(verbose_name, **kwargs):
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=True,
        blank=True,
        help_text=_("The Gregorian year in which the fiscal year starts: 平成22年度 is 2010."),
        **kwargs,
    )


def fiscal_year_range(field_name: str, name: str) -> models.CheckConstraint:
    """A stored fiscal year is empty or a plausible Gregorian year."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field_name}__isnull": True})
        | models.Q(**{f"{field_name}__gte": FIRST_ERA_YEAR, f"{field_name}__lte": LAST_YEAR}),
        name=name,
    )


class PointStyle(models.TextChoices):
    """How one item of a list shows: most are bullets; some are a paragraph or a label."""

    BULLET = "bullet", _("bullet")
    PARAGRAPH = "paragraph", _("paragraph")
    LABEL = "label", _("label")


class Point(models.Model):
    """One item of an ordered list of text, possibly nested one level (sub-list)."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)
    depth = models.PositiveSmallIntegerField(
        _("depth"), default=0, help_text=_("0 for an item, 1 for an item of a sub-list.")
    )
    style = models.CharField(
        _("style"), max_length=10, choices=PointStyle.choices, default=PointStyle.BULLET
    )
    text = models.TextField(_("text"))
    editorial_note = models.CharField(
        _("editorial note"),
        max_length=300,
        blank=True,
        help_text=_("A correction shown beside the text, which is kept as the report wrote it."),
    )

    class Meta:
        abstract = True
        ordering = ["position"]
        # Named per concrete model ("sectionpoint_style_valid"); a subclass that declares
        # constraints of its own adds these to them.
        constraints = [valid_choice("style", PointStyle, "%(class)s_style_valid")]

    def __str__(self):
        return self.text


# --- The report and its sections ------------------------------------------


def grouped_by_part(points, parts) -> dict:
    """``points`` by their ``part``: every one of ``parts`` (in that order) with its points,
    in the order given. The database orders points by the part's stored value, which is
    not the report's order."""
    groups = {part: [] for part in parts}
    for point in points:
        groups[point.part].append(point)
    return groups
