"""Form fields that every app's forms share."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.fiscal_years import format_fiscal_year, parse_fiscal_year
from core.text import normalise_newlines

# What format_fiscal_year shows after the era year: （2010年度）, or から.
SHOWN_BACK = re.compile(r"^(?P<year>.+?)(（\d+年度）)?(から)?$")


def add_required_error(form: forms.BaseForm, field: str, message) -> None:
    """For a field that ``clean()`` finds required by the others' values: the error has
    the code ``required``, as a field's own "This field is required." has."""
    form.add_error(field, ValidationError(message, code="required"))


class MultilineField(forms.CharField):
    """A textarea's text with LF line breaks, counted as the reader sees it: a browser's
    CRLF would count twice against ``max_length`` and keep paragraphs from splitting."""

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise_newlines(value)
        return super().to_python(value)


class FiscalYearField(forms.CharField):
    """A fiscal year as staff write it (平成22年度, 令和6年度, 2024 or 2024年度), shown back in
    both forms (平成22年度（2010年度）), which it also reads: the stored value is the
    Gregorian year in which the fiscal year starts.

    It takes the place of a model's integer field (``Meta.field_classes``), whose bounds
    it ignores: ``parse_fiscal_year`` has its own.
    """

    widget = forms.TextInput(attrs={"size": 24, "inputmode": "text"})

    def __init__(self, *, min_value=None, max_value=None, step_size=None, **kwargs):
        kwargs["help_text"] = _("As you write it: 平成22年度, 令和6年度 or 2024.")
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_fiscal_year(value, language="ja")
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        match = SHOWN_BACK.match(text.strip())
        try:
            return parse_fiscal_year(match["year"] if match else text)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error

    def display(self, value) -> str:
        return format_fiscal_year(value) if value is not None else ""
