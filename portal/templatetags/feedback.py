from django import template

from portal.selectors import case_comments_context

register = template.Library()


@register.inclusion_tag("feedback/includes/case_comments.html", takes_context=True)
def case_comments(context, case_study):
    """The members' comments and the comment form on a case page.

    A tag rather than view code, so that initiatives' views need not import feedback
    (dependencies point feedback → initiatives → wards).
    """
    return {
        **case_comments_context(case_study, context["request"].user),
        "request": context["request"],
    }
