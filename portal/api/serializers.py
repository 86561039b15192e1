"""Serializers built from the open data's column declarations, one per dataset."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.open_data.registry import Column, ColumnType, Context, Dataset


class ColumnField(serializers.Field):
    """One declared column, read from the whole row."""

    def __init__(self, column: Column, **kwargs):
        self.column = column
        kwargs.update(source="*", read_only=True, allow_null=column.nullable)
        kwargs.setdefault("help_text", str(column.meaning))
        super().__init__(**kwargs)

    def to_representation(self, row):
        request = self.context["request"]
        return self.column.read(row, Context(base_url=request.build_absolute_uri("/")))


@extend_schema_field(OpenApiTypes.STR)
class TextColumnField(ColumnField):
    pass


@extend_schema_field(OpenApiTypes.INT)
class IntegerColumnField(ColumnField):
    pass


@extend_schema_field(OpenApiTypes.NUMBER)
class DecimalColumnField(ColumnField):
    pass


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanColumnField(ColumnField):
    pass


@extend_schema_field(OpenApiTypes.DATE)
class DateColumnField(ColumnField):
    pass


@extend_schema_field(OpenApiTypes.DATETIME)
class DateTimeColumnField(ColumnField):
    pass


@extend_schema_field(OpenApiTypes.URI)
class UrlColumnField(ColumnField):
    pass


FIELDS = {
    ColumnType.STRING: TextColumnField,
    ColumnType.CODE: TextColumnField,
    ColumnType.INTEGER: IntegerColumnField,
    ColumnType.DECIMAL: DecimalColumnField,
    ColumnType.BOOLEAN: BooleanColumnField,
    ColumnType.DATE: DateColumnField,
    ColumnType.DATETIME: DateTimeColumnField,
    ColumnType.URL: UrlColumnField,
}


def serializer_for(dataset: Dataset) -> type[serializers.Serializer]:
    fields = {column.name: FIELDS[column.type](column) for column in dataset.columns}
    name = "".join(part.capitalize() for part in dataset.slug.split("_"))
    return type(f"{name}Serializer", (serializers.Serializer,), fields)


class ErrorSerializer(serializers.Serializer):
    """Every error the API answers: a status, a message that says why, and the details."""

    status = serializers.IntegerField()
    message = serializers.CharField()
    details = serializers.DictField(required=False)


class ErrorResponseSerializer(serializers.Serializer):
    error = ErrorSerializer()
