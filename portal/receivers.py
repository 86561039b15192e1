"""Move the open data's version (``portal.open_data.freshness``) whenever an exported model
changes, so that its files, counts, ETag and Last-Modified follow the data."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from feedback.models import Opinion
from initiatives.models import (
    CaseStudy,
    Commitment,
    FocusArea,
    Initiative,
    InitiativePoint,
    Measure,
    OrganisationalChange,
    Pillar,
    PillarItem,
    ProgressReport,
    ReformPlan,
    Vision,
)
from initiatives.signals import initiative_points_replaced
from portal.open_data import freshness
from proposals.models import Answer, Proposal
from wards.models import Department, Ward

EXPORTED = (
    Ward,
    Department,
    Vision,
    FocusArea,
    Measure,
    ReformPlan,
    Pillar,
    PillarItem,
    CaseStudy,
    OrganisationalChange,
    Initiative,
    InitiativePoint,
    Opinion,
    Proposal,
    Answer,
    Commitment,
    ProgressReport,
)
# The user's name shows on their comments.
NAMED = ("auth.user",)


@receiver(post_save)
@receiver(post_delete)
def exported_data_changed(sender, update_fields=None, **kwargs):
    # A sign-in saves the user's last_login alone, which no file shows.
    renamed = sender._meta.label_lower in NAMED and set(update_fields or ()) != {"last_login"}
    if sender in EXPORTED or renamed:
        freshness.move()


@receiver(m2m_changed, sender=Initiative.departments.through)
@receiver(m2m_changed, sender=Initiative.pillars.through)
def exported_links_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        freshness.move()


@receiver(initiative_points_replaced)
def points_replaced(sender, **kwargs):
    freshness.move()
