from django.utils.translation import gettext as _


class ForgivingPaginationMixin:
    """A page number out of range or not a number shows the nearest page, with a notice.

    ``?page=999`` shows the last page and ``?page=abc`` the first, rather than a 404:
    a shared link stays useful after the results shrink. Adds ``elided_page_range``
    (for ``includes/pagination.html``: thousands of pages must not make thousands of links).
    """

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        requested = self.request.GET.get(self.page_kwarg) or "1"
        page = paginator.get_page(requested)
        if requested != str(page.number):
            self.notices = [
                *getattr(self, "notices", []),
                _("There is no page “%(requested)s”; showing page %(number)s.")
                % {"requested": requested[:20], "number": page.number},
            ]
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        if page is not None:
            context["elided_page_range"] = page.paginator.get_elided_page_range(page.number)
        return context
