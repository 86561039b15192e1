"""How the import reads cells as ward staff write them, and how the export writes them.

Each reader takes a cell (text, or a number or date from an XLSX sheet) and returns the
value, or raises ValueError with what to write instead. Lookups (wards, cases,
departments) are read once per import by ``Lookups``.
"""

import re
import unicodedata
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from core.fiscal_years import parse_fiscal_year
from initiatives.models import CaseStudy, InitiativeStatus
from wards.models import Department, Ward

# The values as staff write them (the first of each is what the export writes).
STATUS_NAMES = {
    InitiativeStatus.PUBLISHED: ("公開", "公開中", "published"),
    InitiativeStatus.DRAFT: ("下書き", "非公開", "draft"),
}
TRUE_WORDS = ("はい", "○", "〇", "1", "true", "yes", "主")
FALSE_WORDS = ("いいえ", "×", "0", "false", "no", "")
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
)


def text_of(value) -> str:
    """A cell as text: a whole number from a sheet without its ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def normalised(value) -> str:
    """For matching a name: full-width letters and digits folded, spaces dropped, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text_of(value))).lower()


def read_status(value) -> str:
    key = normalised(value)
    for status, names in STATUS_NAMES.items():
        if key in {normalised(n) for n in names}:
            return status
    raise ValueError(
        _("“%(value)s” is not a status: write one of %(allowed)s.")
        % {"value": text_of(value), "allowed": "、".join(n[0] for n in STATUS_NAMES.values())}
    )


def read_boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    key = normalised(value)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise ValueError(
        _("“%(value)s” is neither yes nor no: write はい or leave it empty.")
        % {"value": text_of(value)}
    )


def read_whole_number(value, *, default=0, largest=32767) -> int:
    text = normalised(value)
    if not text:
        return default
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not number.is_integer() or number < 0 or number > largest:
        raise ValueError(
            _("“%(value)s” is not a whole number: write e.g. 1.") % {"value": text_of(value)}
        )
    return int(number)


def read_fiscal_year(value) -> int | None:
    if isinstance(value, datetime | date):
        raise ValueError(_("A date is not a fiscal year: write 2010 or 平成22年度."))
    return parse_fiscal_year(value)


def read_datetime(value) -> datetime | None:
    """A publication time, in Japan time unless the cell says otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        moment = None
        for pattern in DATETIME_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        if moment is None:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(
                    _("“%(value)s” is not a date and time: write e.g. 2024-04-01 09:00.")
                    % {"value": text}
                ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def write_datetime(moment) -> datetime | None:
    """A time as the sheet shows it: Japan time, whole seconds, no zone (Excel has none)."""
    if moment is None:
        return None
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return local.replace(microsecond=0, tzinfo=None)


class Lookups:
    """The wards, cases and departments an import names, each read once."""

    def __init__(self):
        self.wards = list(Ward.objects.order_by("position"))
        self.ward_names = {}
        for ward in self.wards:
            for name in (
                ward.slug,
                ward.name,
                ward.name.removesuffix("区"),
                ward.name_en,
                ward.code,
            ):
                self.ward_names[normalised(name)] = ward
            self.ward_names[normalised(f"{ward.name_en} ward")] = ward
        self.cases = {case.number: case for case in CaseStudy.objects.all()}
        self.departments = {(d.ward_id, d.name): d for d in Department.objects.all()}

    def ward(self, value):
        key = normalised(value)
        if not key:
            return None
        try:
            return self.ward_names[key]
        except KeyError:
            raise ValueError(
                _("There is no ward “%(value)s”: write one of %(known)s.")
                % {"value": text_of(value), "known": "、".join(w.name for w in self.wards)}
            ) from None

    def case(self, value):
        text = normalised(value).removeprefix("事例")
        text = text.translate(str.maketrans("①②③④⑤⑥⑦⑧⑨", "123456789"))
        if not text:
            return None
        try:
            return self.cases[int(float(text))]
        except (ValueError, KeyError):
            raise ValueError(
                _("There is no case study %(value)s: write one of %(known)s, or leave it empty.")
                % {
                    "value": text_of(value),
                    "known": "、".join(map(str, sorted(self.cases))) or "-",
                }
            ) from None

    def departments_of(self, value, ward) -> list:
        """Departments by name, one a line: the ward's own, else a city-level bureau."""
        names = [n.strip() for n in text_of(value).splitlines() if n.strip()]
        found, unknown = [], []
        for name in names:
            department = self.departments.get((ward.pk if ward else None, name))
            department = department or self.departments.get((None, name))
            if department is None:
                unknown.append(name)
            elif department not in found:
                found.append(department)
        if unknown:
            raise ValueError(
                _(
                    "Unknown department %(names)s: write a department of %(ward)s or of the "
                    "city, one a line, as the admin's departments name them."
                )
                % {"names": "、".join(unknown), "ward": ward.name if ward else "-"}
            )
        return found
