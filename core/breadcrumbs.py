from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.names import localized_html


class BreadcrumbsMixin:
    """Adds ``breadcrumbs``, ``[(label, url), …]`` from the front page to this page.

    The last entry is the page itself; ``includes/breadcrumbs.html`` renders the trail.
    A page whose trail never changes declares it as ``breadcrumbs`` (lazy labels and
    ``reverse_lazy`` addresses). A label that is Japanese text on an English page comes
    marked ``lang="ja"`` (``core.names.localized_html``).
    """

    breadcrumbs = ()

    def get_breadcrumbs(self):
        return list(self.breadcrumbs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(_("Home"), reverse("home")), *self.get_breadcrumbs()]
        return context


class ObjectBreadcrumbsMixin(BreadcrumbsMixin):
    """The trail of a page about one object of a list: ``breadcrumbs`` is the list's
    trail, and the object's name in the active language ends it (``crumb_field``, the
    model's name field unless given: ``"label"`` gives 「事例1 こども支援の取組」)."""

    crumb_field = None

    def get_breadcrumbs(self):
        return [*self.breadcrumbs, (localized_html(self.object, self.crumb_field), None)]
