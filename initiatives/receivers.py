"""Keep the initiatives' copy of the city order, and move the version of what the lists
count when that data changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from core import versions
from initiatives.models import (
    CaseStudy,
    Commitment,
    FocusArea,
    Initiative,
    Pillar,
    ProgressReport,
    Vision,
)
from wards.models import Department, Ward

COUNTED = (Initiative, CaseStudy, FocusArea, Vision, Pillar, Ward, Department)
# The version of what the lists count and cache (their facets and totals).
COUNTED_DATA = "initiatives:counted"
# The version of what the progress pages count and cache: commitments, their reports and
# what they are grouped by (initiatives, wards, visions).
COMMITMENT_DATA = "initiatives:commitments"
COMMITMENT_COUNTED = (Commitment, ProgressReport, Initiative, CaseStudy, Vision, Ward)


@receiver(post_save)
@receiver(post_delete)
def counted_data_changed(sender, **kwargs):
    if sender in COUNTED:
        versions.move(COUNTED_DATA)
    if sender in COMMITMENT_COUNTED:
        versions.move(COMMITMENT_DATA)


@receiver(m2m_changed, sender=Initiative.departments.through)
@receiver(m2m_changed, sender=Initiative.pillars.through)
def counted_links_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        versions.move(COUNTED_DATA)


@receiver(pre_save, sender=Initiative)
def copy_city_order(sender, instance, **kwargs):
    # pre_save, not save(): fixtures load raw, past Model.save().
    if instance.ward_id is not None:
        instance.ward_position = instance.ward.position
    instance.case_number = instance.case_study.number if instance.case_study_id else None


@receiver(post_save, sender=Ward)
def ward_moved(sender, instance, **kwargs):
    Initiative.objects.filter(ward=instance).exclude(
        ward_position=instance.position
    ).copy_city_order()


@receiver(post_save, sender=CaseStudy)
def case_renumbered(sender, instance, **kwargs):
    Initiative.objects.filter(case_study=instance).exclude(
        case_number=instance.number
    ).copy_city_order()


@receiver(post_delete, sender=CaseStudy)
def case_deleted(sender, instance, **kwargs):
    # The deletion set the case of its initiatives to NULL in SQL, past their signals.
    Initiative.objects.filter(case_study__isnull=True, case_number__isnull=False).update(
        case_number=None
    )
