"""Text as people type it: browsers send a textarea's line breaks as CRLF (and old Macs
as CR), while the pages split paragraphs on LF. Every text is stored with LF only."""

from django.db import models


def normalise_newlines(text: str) -> str:
    """CRLF and CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalise_instance_newlines(sender, instance, raw=False, **kwargs):
    """A ``pre_save`` receiver for every model: whatever form, import or service writes a
    text, it is stored with LF line breaks. Fixtures (``raw``) are stored as they are."""
    if raw:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname, None)
            if isinstance(value, str) and "\r" in value:
                setattr(instance, field.attname, normalise_newlines(value))
