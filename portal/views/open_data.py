"""/open-data/: the downloads, their data dictionary and the licence."""

from django.core.cache import cache
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_safe
from django.views.generic import TemplateView

from core.breadcrumbs import BreadcrumbsMixin
from portal.open_data import dictionary, writers
from portal.open_data.datasets import DATASETS
from portal.open_data.files import serve
from portal.open_data.freshness import freshness
from portal.open_data.licence import CC_BY_URL, PDL_URL, attribution
from portal.open_data.registry import CITY_CODE, Context

ZIP_NAME = "kawasaki-wards-open-data.zip"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def page_url(request) -> str:
    return request.build_absolute_uri(reverse("open_data:page"))


def context_of(request) -> Context:
    return Context(base_url=request.build_absolute_uri("/"))


def row_counts(request) -> dict[str, int]:
    """Each file's number of rows: one count a dataset, cached until the data changes."""
    key = f"open-data:counts:{freshness(request).key}"
    counts = cache.get(key)
    if counts is None:
        counts = {slug: dataset.rows().count() for slug, dataset in DATASETS.items()}
        cache.set(key, counts, None)
    return counts


def _etag(request, *args, **kwargs):
    return f'"{freshness(request).etag}"'


def _last_modified(request, *args, **kwargs):
    return freshness(request).last_modified


class OpenDataView(BreadcrumbsMixin, TemplateView):
    """The downloads of every dataset with its row count, the ZIP, the data dictionary and
    the licence.

    Models: each dataset's rows, counted (one query a dataset, cached until the data
    changes) and the newest publication time (1 query). Template: ``portal/open_data.html``.
    Context: ``datasets`` (each with ``slug``, ``title``, ``description``, ``count``,
    ``entries``: its dictionary), ``zip_name``, ``city_code``, ``attribution``,
    ``pdl_url``, ``cc_by_url``, ``breadcrumbs``.
    """

    template_name = "portal/open_data.html"
    breadcrumbs = [(_("Open data"), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = row_counts(self.request)
        context["datasets"] = [
            {
                "slug": dataset.slug,
                "title": dataset.title,
                "description": dataset.description,
                "owner": DATASETS[dataset.owner].title if dataset.owner else "",
                "count": counts[dataset.slug],
                "entries": dictionary.entries(dataset),
            }
            for dataset in DATASETS.values()
        ]
        context["zip_name"] = ZIP_NAME
        context["city_code"] = CITY_CODE
        context["attribution"] = attribution(page_url(self.request))
        context["pdl_url"] = PDL_URL
        context["cc_by_url"] = CC_BY_URL
        context["last_modified"] = freshness(self.request).last_modified
        return context


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def download(request, slug: str, fmt: str):
    """One dataset as ``fmt`` (csv, xlsx, json)."""
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404
    data_context = context_of(request)
    url = page_url(request)
    builders = {
        "csv": lambda: writers.csv_chunks(dataset, data_context),
        "json": lambda: writers.json_chunks(dataset, data_context, url),
        "xlsx": lambda: writers.xlsx_chunks(dataset, data_context, url),
    }
    return serve(request, f"{slug}.{fmt}", CONTENT_TYPES[fmt], builders[fmt])


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def download_dictionary(request):
    return serve(request, "dictionary.csv", CONTENT_TYPES["csv"], writers.dictionary_csv_chunks)


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def download_zip(request):
    data_context = context_of(request)
    url = page_url(request)
    return serve(
        request, ZIP_NAME, CONTENT_TYPES["zip"], lambda: writers.zip_chunks(data_context, url)
    )
