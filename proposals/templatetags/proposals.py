from django import template

from proposals.models import Proposal

register = template.Library()

SHOWN = 5


@register.inclusion_tag("proposals/includes/ward_proposals.html")
def ward_proposals(ward):
    """The ward page's proposals: how many are published and answered, the newest few.

    A tag rather than view code, so that the ward's view need not import proposals
    (2 queries, whatever the number of proposals).
    """
    published = Proposal.objects.published().for_ward(ward)
    return {
        "ward": ward,
        "counts": published.answer_counts(),
        "proposals": list(published.for_list_page()[:SHOWN]),
    }


@register.inclusion_tag("proposals/includes/initiative_proposals.html")
def initiative_proposals(initiative):
    """The published proposals that led to an initiative (1 query)."""
    return {
        "proposals": list(
            Proposal.objects.published().filter(initiative=initiative).for_list_page()
        )
    }
