"""Keep the search index current as objects are saved and deleted.

Saves are indexed when their transaction commits (``index.schedule``). Raw saves
(``loaddata``) are skipped: related rows may not exist yet, so a bulk load ends with
``manage.py rebuild_search_index``.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from feedback.models import Opinion
from feedback.signals import comments_changed
from initiatives.models import (
    CaseStudy,
    Commitment,
    FocusArea,
    Initiative,
    InitiativePoint,
    Measure,
    OrganisationalChange,
    Photo,
    ProgressReport,
    Vision,
)
from initiatives.signals import initiative_points_replaced, initiatives_imported
from proposals.models import Answer, Proposal
from proposals.signals import proposals_changed
from search import index

# The models with documents of their own, as the index declares them.
INDEXED = frozenset(index.KIND_OF_MODEL)
# Parts of an indexed object's document: model → (the owner's model, the key to it).
OWNED = {
    InitiativePoint: (Initiative, "initiative_id"),
    Photo: (Initiative, "initiative_id"),
    OrganisationalChange: (CaseStudy, "case_study_id"),
    Answer: (Proposal, "proposal_id"),
}


def schedule_owner(sender, instance):
    """A part of a document changed or went: index the object whose document holds it."""
    owner, key = OWNED[sender]
    index.schedule(owner, [getattr(instance, key)])


def schedule_commitments(initiative_pks):
    """An initiative's commitments and their reports are public while it is."""
    index.schedule(
        Commitment,
        Commitment.objects.filter(initiative__in=initiative_pks).values_list("pk", flat=True),
    )
    index.schedule(
        ProgressReport,
        ProgressReport.objects.filter(commitment__initiative__in=initiative_pks).values_list(
            "pk", flat=True
        ),
    )


def schedule_comments(pks):
    """Index these comments and their replies: a reply shows only while its comment does."""
    index.schedule(
        Opinion,
        Opinion.objects.filter(Q(pk__in=pks) | Q(parent_id__in=pks)).values_list("pk", flat=True),
    )


@receiver(post_save)
def index_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender is Opinion:
        schedule_comments([instance.pk])
    elif sender in INDEXED:
        index.schedule(sender, [instance.pk])
        if sender is Initiative:
            schedule_commitments([instance.pk])
        elif sender is Commitment:
            # A report's title is its commitment's text.
            index.schedule(ProgressReport, instance.reports.values_list("pk", flat=True))
    elif sender in OWNED:
        schedule_owner(sender, instance)
    elif sender is FocusArea:
        index.schedule(Measure, instance.measures.values_list("pk", flat=True))
        index.schedule(CaseStudy, instance.case_studies.values_list("pk", flat=True))
    elif sender is Vision:
        index.schedule(
            Measure,
            Measure.objects.filter(focus_area__vision=instance).values_list("pk", flat=True),
        )
        index.schedule(CaseStudy, instance.case_studies.values_list("pk", flat=True))


@receiver(comments_changed)
def index_changed_comments(sender, pks, **kwargs):
    schedule_comments(pks)


@receiver(proposals_changed)
def index_changed_proposals(sender, pks, **kwargs):
    # Moderation changes a proposal's state by UPDATE, which no post_save announces.
    index.schedule(Proposal, pks)


@receiver(initiative_points_replaced)
@receiver(initiatives_imported)
def index_replaced_points(sender, pks, **kwargs):
    index.schedule(Initiative, pks)


@receiver(post_delete)
def unindex_deleted(sender, instance, **kwargs):
    if sender in INDEXED:
        index.remove_objects(sender, [instance.pk])
    elif sender in OWNED:
        schedule_owner(sender, instance)


@receiver(m2m_changed, sender=Initiative.departments.through)
def index_departments_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        index.schedule(Initiative, pk_set or instance.initiatives.values_list("pk", flat=True))
    else:
        index.schedule(Initiative, [instance.pk])
