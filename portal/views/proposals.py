"""Residents' proposals: sending one, confirming it, reading the published ones."""

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_ratelimit.core import is_ratelimited

from core.breadcrumbs import BreadcrumbsMixin
from core.client_ip import client_ip
from portal.list_pages import FacetedListMixin
from portal.object_pages import ObjectDetailMixin
from portal.proposal_filters import ProposalFilter
from proposals import services
from proposals.confirmation import ConfirmationError, read_token
from proposals.forms import ProposalForm
from proposals.models import Proposal, ProposalState
from wards.models import Ward

CONFIRMATION_FAILURES = {
    # code: (HTTP status, heading, explanation)
    "forged": (
        400,
        _("This confirmation link is not valid"),
        _(
            "The link is incomplete or was changed. Please open the link exactly as it "
            "is in the e-mail, or send your proposal again."
        ),
    ),
    "expired": (
        410,
        _("This confirmation link has expired"),
        _(
            "Confirmation links work for %(hours)d hours. Your proposal was not sent; "
            "please send it again."
        ),
    ),
    "used": (
        409,
        _("This proposal is confirmed already"),
        _(
            "A confirmation link works once, and this one has been used. The ward's staff "
            "will read your proposal before it is published."
        ),
    ),
}


def _breadcrumbs(*trail):
    return [(_("Home"), reverse("home")), *ProposalListView.breadcrumbs, *trail]


def _too_many(request, email: str) -> bool:
    """Both limits count every attempt, so that neither can be probed for free.

    Redis counts exactly. The database cache (without REDIS_URL) increments by a read and a
    write: in one transaction, which SQLite's write lock at BEGIN (settings) serialises, so
    that two posts with one address from two places at once cannot both slip through.
    """
    with transaction.atomic():
        return _counted(request, email)


def _counted(request, email: str) -> bool:
    by_address = is_ratelimited(
        request,
        group="proposals:submit:address",
        key=lambda group, request: client_ip(request),
        rate=settings.PROPOSAL_RATE_PER_ADDRESS,
        method="POST",
        increment=True,
    )
    by_email = bool(email) and is_ratelimited(
        request,
        group="proposals:submit:email",
        key=lambda group, request: email.lower(),
        rate=settings.PROPOSAL_RATE_PER_EMAIL,
        method="POST",
        increment=True,
    )
    return by_address or by_email


@require_http_methods(["GET", "POST"])
def proposal_create(request):
    """``/proposals/new/``: a resident's proposal to a ward.

    Template ``proposals/proposal_form.html`` (400 with the errors shown beside their
    fields and summarised at the top); ``proposals/rate_limited.html`` (429). On success,
    the page that asks the resident to confirm by e-mail. A filled honeypot gets that
    page too, and nothing is saved.
    """
    if request.method == "GET":
        ward = Ward.objects.filter(slug=request.GET.get("ward", "")[:20]).first()
        form = ProposalForm(initial={"ward": ward})
        return _form_page(request, form)
    form = ProposalForm(request.POST)
    email = request.POST.get("email", "").strip()[:254]
    if _too_many(request, email):
        response = render(
            request,
            "proposals/rate_limited.html",
            {"breadcrumbs": _breadcrumbs((_("Send a proposal"), None))},
            status=429,
        )
        response["Retry-After"] = "3600"
        return response
    if form.is_spam:
        return redirect("proposals:sent")
    if not form.is_valid():
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    services.proposal_submit(
        ward=data["ward"],
        title=data["title"],
        text=data["text"],
        email=data["email"],
        display_name=data["display_name"],
        vision=data["vision"],
        case_study=data["case_study"],
        language=get_language() or settings.LANGUAGE_CODE,
        site_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return redirect("proposals:sent")


def _form_page(request, form, status=200):
    context = {
        "form": form,
        "breadcrumbs": _breadcrumbs((_("Send a proposal"), None)),
        "confirmation_hours": settings.PROPOSAL_CONFIRMATION_MAX_AGE // 3600,
    }
    return render(request, "proposals/proposal_form.html", context, status=status)


@require_GET
def proposal_sent(request):
    """After sending: the resident is asked to open the link in the e-mail."""
    context = {
        "breadcrumbs": _breadcrumbs((_("Check your e-mail"), None)),
        "confirmation_hours": settings.PROPOSAL_CONFIRMATION_MAX_AGE // 3600,
    }
    return render(request, "proposals/proposal_sent.html", context)


@require_http_methods(["GET", "POST"])
def proposal_confirm(request, token):
    """The link in the e-mail. GET shows a button (so that a mail scanner that follows
    links confirms nothing); POST confirms. A forged (400), expired (410) or used (409)
    link gets a page that says which, and what to do.

    Template ``proposals/confirm.html``; ``proposals/confirm_failed.html``.
    """
    breadcrumbs = _breadcrumbs((_("Confirm your proposal"), None))
    try:
        if request.method == "GET":
            pk, key = read_token(token)
            proposal = (
                Proposal.objects.filter(pk=pk, confirmation_key=key).select_related("ward").first()
            )
            if proposal is None:
                state = Proposal.objects.filter(pk=pk).values_list("state", flat=True).first()
                raise ConfirmationError("forged" if state is None else "used")
            context = {"proposal": proposal, "token": token, "breadcrumbs": breadcrumbs}
            return render(request, "proposals/confirm.html", context)
        proposal = services.proposal_confirm(token=token)
    except ConfirmationError as error:
        status, heading, text = CONFIRMATION_FAILURES[error.code]
        context = {
            "heading": heading,
            "text": text % {"hours": settings.PROPOSAL_CONFIRMATION_MAX_AGE // 3600}
            if error.code == "expired"
            else text,
            "breadcrumbs": breadcrumbs,
        }
        return render(request, "proposals/confirm_failed.html", context, status=status)
    context = {"proposal": proposal, "confirmed": True, "breadcrumbs": breadcrumbs}
    return render(request, "proposals/confirm.html", context)


class ProposalListView(BreadcrumbsMixin, FacetedListMixin, FilterView):
    """Published proposals, newest first, filtered.

    Model: ``Proposal`` through ``Proposal.objects.for_list_page()``, filtered by
    ``ProposalFilter`` (``?ward=…&status=…&vision=…&fy=…``).
    Template: ``proposals/proposal_list.html``. Context: ``proposal_list``, ``page_obj``,
    ``filter``, ``facets``, ``notices``, ``widenings``, ``breadcrumbs``.
    """

    model = Proposal
    filterset_class = ProposalFilter
    breadcrumbs = [(_("Proposals"), reverse_lazy("proposals:list"))]


class ProposalDetailView(ObjectDetailMixin, DetailView):
    """One published proposal with its answer, its 道のひらき方 first.

    Model: ``Proposal`` through ``Proposal.objects.for_detail_page()``; anything not
    published is not found (404). Template: ``proposals/proposal_detail.html``.
    Context: ``proposal``, ``answer`` (or None), ``earlier_answers`` (the answer's
    earlier versions, newest first), ``commitment`` (the commitment it led to, when the
    public sees it, or None), ``breadcrumbs``. 2 queries (1 without an answer).
    """

    model = Proposal
    breadcrumbs = ProposalListView.breadcrumbs
    crumb_field = "title"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answer = getattr(self.object, "answer", None)
        context["answer"] = answer
        context["earlier_answers"] = (
            list(answer.history.order_by("-history_date", "-history_id")[1:]) if answer else []
        )
        context["states"] = ProposalState
        commitment = self.object.commitment
        context["commitment"] = (
            commitment
            if commitment is not None
            and (commitment.initiative is None or commitment.initiative.is_public)
            else None
        )
        return context
