"""The API's collections, one viewset per dataset; errors as JSON that say why."""

import django_filters
from django.conf import settings
from django.core.cache import caches
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import exception_handler

from portal.api.serializers import ErrorResponseSerializer, serializer_for
from portal.open_data.datasets import by_api_name

PAGING_PARAMETERS = {"page", "page_size"}


class Pagination(PageNumberPagination):
    """Pages of 50 by default, at most 200 (``page_size=``), in each dataset's stable order."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class AnonymousThrottle(AnonRateThrottle):
    """Requests per client address, counted in the shared cache (the one the rate limits
    use: Redis, or the database cache), so that every server process counts together."""

    @property
    def cache(self):
        return caches[settings.API_THROTTLE_CACHE]

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE


def _message(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_message(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_message(value) for value in detail)
    return str(detail)


def api_exception_handler(exc, context):
    """``{"error": {"status", "message", "details"}}`` for every error DRF raises."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    details = response.data if isinstance(response.data, dict) else {"errors": response.data}
    body = {"status": response.status_code, "message": _message(details.get("detail", details))}
    if "detail" not in details:
        body["details"] = details
    response.data = {"error": body}
    return response


def not_found(request, *args, **kwargs):
    """Any address under /api/ that is no collection."""
    message = _("There is no such collection. The collections are listed at /api/v1/.")
    return JsonResponse({"error": {"status": 404, "message": message}}, status=404)


class DatasetViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The rows of one open-data file. Unknown parameters are refused with a 400."""

    dataset = None
    pagination_class = Pagination
    throttle_classes = [AnonymousThrottle]

    def get_queryset(self):
        return self.dataset.rows()

    def get_filter_backends(self):
        return [DjangoFilterBackend] if self.dataset.filterset_class else []

    @property
    def filter_backends(self):
        return self.get_filter_backends()

    def allowed_parameters(self) -> set[str]:
        filters = self.dataset.filterset_class
        return PAGING_PARAMETERS | (set(filters.base_filters) if filters else set())

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.allowed_parameters())
        if unknown:
            raise exceptions.ValidationError(
                {
                    name: [
                        _("Unknown parameter. Allowed: %(allowed)s.")
                        % {"allowed": ", ".join(sorted(self.allowed_parameters()))}
                    ]
                    for name in unknown
                }
            )


ERRORS = {
    400: OpenApiResponse(ErrorResponseSerializer, description="A parameter is unknown or invalid."),
    404: OpenApiResponse(ErrorResponseSerializer, description="No such page."),
    429: OpenApiResponse(ErrorResponseSerializer, description="Too many requests (Retry-After)."),
}


def _describe_choice_filters(filterset_class) -> None:
    """The list pages' choice filters apply a method, whose value's type drf-spectacular
    cannot guess: a ward is its slug, a vision or pillar its number, a focus area or
    department its id, each written as text in the query string."""
    for filter_ in filterset_class.base_filters.values():
        if isinstance(
            filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter
        ):
            set_override(filter_, "field", OpenApiTypes.STR)


def viewset_for(dataset) -> type[DatasetViewSet]:
    serializer = serializer_for(dataset)
    name = serializer.__name__.removesuffix("Serializer")
    attributes = {
        "dataset": dataset,
        "serializer_class": serializer,
        "__doc__": str(dataset.description),
    }
    if dataset.filterset_class:
        attributes["filterset_class"] = dataset.filterset_class
        _describe_choice_filters(dataset.filterset_class)
    viewset = type(f"{name}ViewSet", (DatasetViewSet,), attributes)
    return extend_schema(
        summary=str(dataset.title),
        description=str(dataset.description),
        responses={200: serializer(many=True), **ERRORS},
        tags=[dataset.api_name],
    )(viewset)


VIEWSETS = {api_name: viewset_for(dataset) for api_name, dataset in by_api_name().items()}
