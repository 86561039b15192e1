"""Atom feeds of newly published initiatives: city-wide, per ward, per vision.

Each entry carries its publication time (``published``), its last change (``updated``)
and the address of its page.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from initiatives.models import Initiative, ProgressReport, Vision
from portal.open_data.registry import PORTAL_NAME
from wards.models import Ward

FEED_LENGTH = 50


class PublishedFeed(Feed):
    """An Atom feed of published objects, each at its page (Django's default link) and
    titled as its page is (not escaped twice, as Django's default title would be)."""

    feed_type = Atom1Feed

    def item_title(self, item):
        return str(item)

    def item_pubdate(self, item):
        return item.published_at


class InitiativeFeed(PublishedFeed):
    """/feeds/initiatives/: the newest published initiatives of every ward."""

    def title(self, obj=None):
        return f"{PORTAL_NAME}：{_('New initiatives')}"

    def subtitle(self, obj=None):
        return _("Initiatives newly published by Kawasaki City's ward offices.")

    def link(self, obj=None):
        return reverse("initiatives:list")

    def initiatives(self, obj):
        return Initiative.objects.for_cards()

    def items(self, obj=None):
        return self.initiatives(obj)[:FEED_LENGTH]

    def item_description(self, item):
        return item.summary

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        categories = [item.ward.name]
        if item.case_study_id:
            categories.append(item.case_study.label)
        return categories


class ObjectFeed(InitiativeFeed):
    """The newest published initiatives of one ``model`` object, found by the address's
    keyword (``slug``, ``number``)."""

    model = None

    def get_object(self, request, **lookup):
        return get_object_or_404(self.model, **lookup)

    def title(self, obj=None):
        return f"{PORTAL_NAME}：{obj} {_('New initiatives')}"

    def link(self, obj=None):
        return obj.get_absolute_url()


class WardFeed(ObjectFeed):
    """/feeds/wards/<slug>/: one ward's newest published initiatives."""

    model = Ward

    def initiatives(self, obj):
        return Initiative.objects.for_cards().for_ward(obj)


class VisionFeed(ObjectFeed):
    """/feeds/visions/<n>/: the newest published initiatives of one vision's cases."""

    model = Vision

    def initiatives(self, obj):
        return Initiative.objects.for_cards().for_vision(obj)


class ProgressFeed(PublishedFeed):
    """/feeds/progress/: the newest published progress reports of the wards' commitments."""

    def title(self):
        return f"{PORTAL_NAME}：{_('Progress reports')}"

    def link(self):
        return reverse("progress:dashboard")

    def items(self):
        return (
            ProgressReport.objects.published()
            .select_related("commitment__initiative__ward")
            .newest()[:FEED_LENGTH]
        )

    def item_description(self, item):
        return item.text

    def item_updateddate(self, item):
        return item.published_at
