from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.names import BilingualName, localized, marked_japanese
from wards.roles import sees_every_ward, ward_of


class WardQuerySet(models.QuerySet):
    def for_detail_page(self):
        """``/wards/<slug>/``: the ward with its departments (2 queries). Its initiatives,
        cases and timeline are counted and paginated by the view: a ward may hold tens of
        thousands of initiatives."""
        return self.prefetch_related("departments")


class WardManager(models.Manager.from_queryset(WardQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Ward(BilingualName, models.Model):
    """One of Kawasaki City's seven wards (区)."""

    slug = models.SlugField(_("slug"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=20, unique=True)
    reading = models.CharField(_("reading"), max_length=40, help_text=_("In hiragana."))
    name_en = models.CharField(_("English name"), max_length=40)
    code = models.CharField(
        _("local government code"),
        max_length=6,
        unique=True,
        help_text=_("全国地方公共団体コード, six digits with the check digit."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), unique=True, help_text=_("The city's usual order of wards.")
    )

    objects = WardManager()

    class Meta:
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        ordering = ["position"]
        permissions = [("curate_every_ward", _("Can curate the content of every ward"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{6}$"), name="ward_code_six_digits"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("wards:detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class CuratedQuerySet(models.QuerySet):
    """Rows that belong to a ward through ``ward_path``: ward staff curate their own
    ward's, the secretariat every ward's. The one place the admin's lists, change views,
    import and export scope a ward-staff account, and ``for_ward`` the public pages."""

    ward_path = "ward"

    def for_ward(self, ward):
        return self.filter(**{self.ward_path: ward})

    def curated_by(self, user):
        if sees_every_ward(user):
            return self
        ward = ward_of(user)
        return self.for_ward(ward) if ward is not None else self.none()


class DepartmentQuerySet(CuratedQuerySet):
    def city_level(self):
        return self.filter(ward__isnull=True)


class DepartmentManager(models.Manager.from_queryset(DepartmentQuerySet)):
    def get_by_natural_key(self, name, ward_slug):
        if ward_slug is None:
            return self.get(name=name, ward__isnull=True)
        return self.get(name=name, ward__slug=ward_slug)


class Department(BilingualName, models.Model):
    """A unit that carries out initiatives (課, 室, センター, 市民館 …).

    Belongs to a ward, or to the city when ``ward`` is empty (局, 教育委員会).
    """

    ward = models.ForeignKey(
        Ward,
        verbose_name=_("ward"),
        on_delete=models.PROTECT,
        related_name="departments",
        null=True,
        blank=True,
        help_text=_("Empty for a city-level bureau."),
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    # How a resident reaches the department (お問い合わせ先), shown on its initiatives' pages.
    # Optional: the report names departments but gives no contact details; staff add them.
    phone = models.CharField(
        _("telephone"),
        max_length=30,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9０-９()（）+\- ‐－]+$",
                message=_("Digits, spaces, hyphens and brackets only, e.g. 044-200-2111."),
                code="invalid_phone",
            )
        ],
    )
    email = models.EmailField(_("e-mail"), blank=True)
    web_page = models.URLField(_("web page"), blank=True)

    objects = DepartmentManager()
    history = HistoricalRecords(
        verbose_name=_("version of a department"),
        verbose_name_plural=_("versions of departments"),
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["ward__position", "name"]
        permissions = [
            ("import_department", _("Can import departments")),
            ("export_department", _("Can export departments")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ward", "name"], name="department_unique_per_ward"),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(ward__isnull=True),
                name="department_unique_city_level",
            ),
        ]

    def __str__(self):
        return self.label(self.name, self.ward.name if self.ward_id else None)

    def get_absolute_url(self):
        return f"{reverse('initiatives:list')}?department={self.pk}"

    @property
    def has_contact(self) -> bool:
        return bool(self.phone or self.email or self.web_page)

    @staticmethod
    def label(name: str, ward: str | None, *, japanese: bool = True) -> str:
        """A department named with its ward, since every ward has its 地域振興課."""
        if ward is None:
            return name
        return f"{name}（{ward}）" if japanese else f"{name} ({ward})"

    def localized_label(self) -> tuple[str, str]:
        """The (label, language) in the active language: English where the department
        has an English name, Japanese (``ja``) where the department or its ward has none."""
        text, language = localized(self)
        if self.ward_id is None:
            return text, language
        ward, ward_language = localized(self.ward)
        label = self.label(text, ward, japanese=language == "ja")
        return label, "ja" if "ja" in (language, ward_language) else language

    def label_html(self):
        """``localized_label`` for a page: marked ``lang="ja"`` where it is Japanese."""
        text, language = self.localized_label()
        return marked_japanese(text) if language == "ja" else text

    def natural_key(self):
        return (self.name, self.ward.slug if self.ward_id else None)

    natural_key.dependencies = ["wards.ward"]


class WardStaffProfile(models.Model):
    """Ties a ward-staff account (区職員) to the one ward whose data it curates."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="ward_staff_profile",
    )
    ward = models.ForeignKey(
        Ward, verbose_name=_("ward"), on_delete=models.PROTECT, related_name="staff_profiles"
    )

    class Meta:
        verbose_name = _("ward staff profile")
        verbose_name_plural = _("ward staff profiles")
        ordering = ["ward__position", "user__username"]

    def __str__(self):
        return f"{self.user}（{self.ward}）"
