from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class BreadcrumbsMixin:
    """Adds ``breadcrumbs``, ``[(label, url), …]`` from the front page to this page.

    The last entry is the page itself; ``includes/breadcrumbs.html`` renders the trail.
    A page whose trail never changes declares it as ``breadcrumbs`` (lazy labels and
    ``reverse_lazy`` addresses); a page that names its object overrides
    ``get_breadcrumbs()``. A label that is Japanese text on an English page comes marked
    ``lang="ja"`` (``core.names.localized_html``).
    """

    breadcrumbs = ()

    def get_breadcrumbs(self):
        return list(self.breadcrumbs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = [(_("Home"), reverse("home")), *self.get_breadcrumbs()]
        return context
