"""Pages about one object that list its published initiatives a page at a time."""

from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic.detail import SingleObjectMixin

from core.breadcrumbs import ObjectBreadcrumbsMixin
from core.pagination import DeferredJoinPaginator, ForgivingPaginationMixin
from core.timeline import by_fiscal_year, count_initiatives_by_year
from initiatives.models import Commitment, Initiative
from portal.overviews import initiative_list_url
from portal.progress import StateSummary


class ObjectDetailMixin(ObjectBreadcrumbsMixin):
    """A page about one object of a list, under ``DetailView``: the object as its model's
    ``for_detail_page()`` reads it (what the public may not see is not found), and the
    list's trail ending in the object's name."""

    def get_queryset(self):
        return self.model.objects.for_detail_page()


class ObjectInitiativesMixin(ForgivingPaginationMixin, SingleObjectMixin):
    """A page about one object (a ward, a vision, a case) that lists its published
    initiatives 20 at a time, under ``ListView``.

    Subclasses give ``object_queryset()`` (the object as its page reads it) and
    ``of_object(queryset)`` (initiatives narrowed to the object's).
    """

    paginate_by = 20

    def object_queryset(self):
        raise NotImplementedError

    def of_object(self, queryset):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.object = self.get_object(self.object_queryset())
        return super().get(request, *args, **kwargs)

    def published_initiatives(self):
        return self.of_object(Initiative.objects.published())


class OverviewMixin(ObjectInitiativesMixin):
    """A ward's or a vision's page: its initiatives 20 a page, newest first; the first
    ``cases_shown`` cases holding them, counted; and a timeline by fiscal year.

    Subclasses give, besides ``object_queryset()`` and ``of_object()`` (which narrows the
    commitments too, whose summary the page shows, counted by state in 1 query:
    ``commitment_summary``, with ``progress_url``): ``list_parameter`` (the list pages'
    parameter that narrows to this object by its ``slug_field``: ``?ward=miyamae``),
    ``case_queryset()`` (cases as this page shows them) and ``dated(cases)`` (the measures
    and organisational changes its timeline shows beside the initiatives).
    """

    paginator_class = DeferredJoinPaginator
    cases_shown = 10
    list_parameter = None

    def list_filter(self) -> dict:
        return {self.list_parameter: getattr(self.object, self.slug_field)}

    def case_queryset(self):
        raise NotImplementedError

    def dated(self, cases) -> list:
        raise NotImplementedError

    def get_queryset(self):
        return self.of_object(Initiative.objects.for_cards())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cases = self.case_queryset().holding(self.published_initiatives(), limit=self.cases_shown)
        narrowed = self.list_filter()
        context["cases"] = cases
        context["case_list_url"] = f"{reverse('initiatives:case-list')}?{urlencode(narrowed)}"
        context["initiative_list_url"] = initiative_list_url(**narrowed)
        context["timeline"] = by_fiscal_year(
            self.dated(cases.cases),
            count_initiatives_by_year(
                self.published_initiatives(),
                lambda year: initiative_list_url(**narrowed, fy=year),
            ),
        )
        commitments = self.of_object(Commitment.objects.public())
        context["commitment_summary"] = StateSummary(commitments.state_counts())
        context["progress_url"] = f"{reverse('progress:dashboard')}?{urlencode(narrowed)}"
        return context
