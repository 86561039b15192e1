"""Check constraints that many models declare alike."""

from django.db import models


def valid_choice(field: str, choices: type[models.Choices], name: str) -> models.CheckConstraint:
    """``field`` holds one of ``choices``' values: the database refuses any other value, as
    the forms do."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": choices.values}), name=name)
