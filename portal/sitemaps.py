from django.urls import reverse

from core.sitemaps import BilingualSitemap
from initiatives.models import CaseStudy, Initiative, ReformPlan, Report, Vision
from proposals.models import Proposal
from wards.models import Ward


class PageSitemap(BilingualSitemap):
    """The pages that are not one object's: lists, the plan, the report, the policy."""

    def items(self):
        names = [
            "home",
            "wards:list",
            "initiatives:vision-list",
            "initiatives:case-list",
            "initiatives:list",
            "progress:dashboard",
            "proposals:list",
            "proposals:new",
            "accessibility",
            "open_data:page",
        ]
        # These two pages are 404 until their data is loaded.
        if ReformPlan.objects.exists():
            names.append("initiatives:reform-plan")
        if Report.objects.exists():
            names.append("initiatives:report")
        return names

    def location(self, item):
        return reverse(item)


class ObjectSitemap(BilingualSitemap):
    """One object's page per row of ``queryset``, with ``date_field`` as its lastmod:
    ``GenericSitemap``'s info dict, as class attributes."""

    queryset = None
    date_field = None

    def items(self):
        # A clone, read afresh for each request.
        return self.queryset.all()

    def lastmod(self, item):
        return getattr(item, self.date_field) if self.date_field else None


class VisionSitemap(ObjectSitemap):
    queryset = Vision.objects.all()


class CaseStudySitemap(ObjectSitemap):
    queryset = CaseStudy.objects.all()


class InitiativeSitemap(ObjectSitemap):
    """Published initiatives only: drafts and future-dated ones have no public page."""

    date_field = "updated_at"

    def items(self):
        # Built for each request: "published" compares with the time of the request.
        return Initiative.objects.published().order_by("pk")


class WardSitemap(ObjectSitemap):
    queryset = Ward.objects.all()


class ProposalSitemap(ObjectSitemap):
    """Published proposals only: unconfirmed, unmoderated and refused ones have no page."""

    queryset = Proposal.objects.published().order_by("pk")
    date_field = "published_at"
