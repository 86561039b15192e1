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


class VisionSitemap(BilingualSitemap):
    def items(self):
        return Vision.objects.all()


class CaseStudySitemap(BilingualSitemap):
    def items(self):
        return CaseStudy.objects.all()


class InitiativeSitemap(BilingualSitemap):
    """Published initiatives only: drafts and future-dated ones have no public page."""

    def items(self):
        return Initiative.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class WardSitemap(BilingualSitemap):
    def items(self):
        return Ward.objects.all()


class ProposalSitemap(BilingualSitemap):
    """Published proposals only: unconfirmed, unmoderated and refused ones have no page."""

    def items(self):
        return Proposal.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.published_at
