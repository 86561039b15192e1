from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.generic import ListView

from core.pagination import ForgivingPaginationMixin
from search.highlight import result
from search.models import MAX_QUERY_LENGTH, SearchQuery
from search.pagination import CappedPaginator, RankedMatches


class SearchView(ForgivingPaginationMixin, ListView):
    """Search across case studies, initiatives, measures and opinions.

    Template: ``search/results.html``; context: ``query`` (a ``SearchQuery``),
    ``results`` (the page's ``Result`` objects, highlighted), ``page_obj`` (of the first
    ``RankedMatches.cap`` matches), ``notices``.
    """

    template_name = "search/results.html"
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_queryset(self):
        raw = self.request.GET.get("q", "")
        self.query = SearchQuery(raw)
        self.notices = []
        if len(" ".join(raw.split())) > MAX_QUERY_LENGTH:
            self.notices.append(
                _("Only the first %(count)s characters of your search were used.")
                % {"count": MAX_QUERY_LENGTH}
            )
        return RankedMatches(self.query, fields=("kind", "object_id", "url", "title", "body"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.query
        context["results"] = [
            result(doc, self.query, localised_url(doc.url)) for doc in context["object_list"]
        ]
        return context


def localised_url(url: str) -> str:
    """The address, stored in the default language, in the active language."""
    language = get_language()
    if language == settings.LANGUAGE_CODE:
        return url
    # translate_url resolves in the active language; the stored address is the default's.
    with override(settings.LANGUAGE_CODE):
        return translate_url(url, language)
