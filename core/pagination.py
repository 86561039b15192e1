from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext as _


def nearest_page(paginator, requested):
    """The page ``requested`` names, else the nearest one: the first for what is not a
    page number or lies below 1 (``Paginator.get_page`` would show the last for 0), the
    last for a number past the end."""
    try:
        return paginator.page(requested)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(1 if int(requested) < 1 else paginator.num_pages)


class ForgivingPaginationMixin:
    """A page number out of range or not a number shows the nearest page, with a notice.

    ``?page=999`` shows the last page, ``?page=abc`` and ``?page=0`` the first, rather than a 404:
    a shared link stays useful after the results shrink. Adds ``notices``.
    """

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        requested = self.request.GET.get(self.page_kwarg) or "1"
        page = nearest_page(paginator, requested)
        if requested != str(page.number):
            self.notices = [
                *getattr(self, "notices", []),
                _("There is no page “%(requested)s”; showing page %(number)s.")
                % {"requested": requested[:20], "number": page.number},
            ]
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notices"] = getattr(self, "notices", [])
        return context


class DeferredJoinPaginator(Paginator):
    """Reads a page's ids first, then only those rows with their joins (two queries).

    ``LIMIT 20 OFFSET 6000`` over a joined queryset makes PostgreSQL sort all the thousands
    of rows before it; the ids alone, in the same order, come from an index that holds that
    order (e.g. ``initiative_ward_newest``) without reading a row: page 300 costs what page
    1 costs. The queryset must be ordered by a key that ends with its primary key.

    ``rows`` is the queryset the page's rows are read from by id, the object list itself
    by default. A filtered list passes its queryset before the filters: with a text
    filter's 13,000 matches applied again, the planner scans every match rather than read
    twenty rows by primary key.
    """

    def __init__(self, object_list, per_page, *args, rows=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = object_list if rows is None else rows

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.rows.in_bulk(ids)
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
