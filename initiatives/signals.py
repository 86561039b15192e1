"""Forget the cached facet counts of the lists when the data they count changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from initiatives.filters import data_changed
from initiatives.models import CaseStudy, FocusArea, Initiative, Pillar, Vision
from wards.models import Department, Ward

COUNTED = (Initiative, CaseStudy, FocusArea, Vision, Pillar, Ward, Department)


@receiver(post_save)
@receiver(post_delete)
def counted_data_changed(sender, **kwargs):
    if sender in COUNTED:
        data_changed()


@receiver(m2m_changed, sender=Initiative.departments.through)
@receiver(m2m_changed, sender=Initiative.pillars.through)
def counted_links_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        data_changed()
