from django.views.generic import DetailView, ListView

from wards.models import Ward


class WardListView(ListView):
    """Every ward. Template: ``wards/ward_list.html``; context: ``ward_list``."""

    model = Ward


class WardDetailView(DetailView):
    """One ward. Template: ``wards/ward_detail.html``; context: ``ward``."""

    model = Ward
