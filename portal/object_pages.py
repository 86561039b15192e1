"""Pages about one object that list its published initiatives a page at a time."""

from django.views.generic.detail import SingleObjectMixin

from core.pagination import ForgivingPaginationMixin
from initiatives.models import Initiative


class ObjectInitiativesMixin(ForgivingPaginationMixin, SingleObjectMixin):
    """A page about one object (a ward, a vision, a case) that lists its published
    initiatives 20 at a time, under ``ListView``.

    Subclasses give ``object_queryset()`` (the object as its page reads it) and
    ``of_object(initiatives)`` (those initiatives narrowed to the object's).
    """

    paginate_by = 20

    def object_queryset(self):
        raise NotImplementedError

    def of_object(self, initiatives):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.object = self.get_object(self.object_queryset())
        return super().get(request, *args, **kwargs)

    def published_initiatives(self):
        return self.of_object(Initiative.objects.published())
