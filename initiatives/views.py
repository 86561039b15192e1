from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from initiatives.models import CaseStudy, Initiative, ReformPlan, Report, Vision
from wards.models import Ward


class HomeView(TemplateView):
    """The front page. Template: ``initiatives/home.html``."""

    template_name = "initiatives/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["visions"] = Vision.objects.all()
        context["wards"] = Ward.objects.all()
        return context


class VisionListView(ListView):
    model = Vision


class VisionDetailView(DetailView):
    model = Vision
    slug_field = slug_url_kwarg = "number"


class ReformPlanView(DetailView):
    model = ReformPlan
    template_name = "initiatives/reformplan_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(ReformPlan.objects.order_by("-starts_on")[:1])


class CaseStudyListView(ListView):
    model = CaseStudy


class CaseStudyDetailView(DetailView):
    model = CaseStudy
    slug_field = slug_url_kwarg = "number"


class InitiativeListView(ListView):
    queryset = Initiative.objects.published()


class InitiativeDetailView(DetailView):
    queryset = Initiative.objects.published()


class ReportView(DetailView):
    model = Report
    template_name = "initiatives/report.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Report.objects.order_by("pk")[:1])
