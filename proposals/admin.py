"""Moderating and answering proposals in the admin.

Ward staff see, moderate and answer their own ward's proposals only; the secretariat every
ward's (``WardScopedAdminMixin``: another ward's proposal is missing from the lists and
its pages answer 404, and the services refuse it too). Unconfirmed proposals are not
shown at all: they do not count until their sender confirms them. E-mail addresses are
never shown, not even to staff: the portal writes to the resident.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from initiatives.models import Commitment, Initiative
from proposals import services
from proposals.forms import AnswerForm, ModerationForm
from proposals.models import Answer, Proposal, ProposalState
from wards.admin import WardScopedAdminMixin
from wards.models import Ward
from wards.roles import sees_every_ward, ward_of

QUEUE_PAGE_SIZE = 100


def site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class ProposalAdminForm(forms.ModelForm):
    """Only the links to the initiative and the commitment it led to are edited here: each
    one of the proposal's ward (``Proposal.clean()`` refuses another ward's commitment too)."""

    class Meta:
        model = Proposal
        fields = ["initiative", "commitment"]

    def clean_initiative(self):
        initiative = self.cleaned_data.get("initiative")
        if initiative is not None and initiative.ward_id != self.instance.ward_id:
            raise forms.ValidationError(
                _("Choose an initiative of the proposal's ward."), code="other_ward"
            )
        return initiative

    def clean_commitment(self):
        commitment = self.cleaned_data.get("commitment")
        if commitment is not None and (
            commitment.initiative_id is None
            or commitment.initiative.ward_id != self.instance.ward_id
        ):
            raise forms.ValidationError(
                _("Choose a commitment of the proposal's ward."), code="other_ward"
            )
        return commitment


@admin.register(Proposal)
class ProposalAdmin(WardScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "ward", "state", "created_at", "published_at", "answer_status"]
    list_filter = ["state", "ward", "fiscal_year"]
    list_select_related = ["ward", "answer"]
    search_fields = ["title", "text"]
    ordering = ["-created_at"]
    fields = [
        "ward",
        "title",
        "text",
        "shown_name",
        "vision",
        "case_study",
        "state",
        "rejection_reason",
        "created_at",
        "confirmed_at",
        "published_at",
        "fiscal_year",
        "initiative",
        "commitment",
    ]
    readonly_fields = [f for f in fields if f not in ("initiative", "commitment")]
    form = ProposalAdminForm
    # A ward may hold thousands of initiatives: an id with the admin's lookup, not a list.
    raw_id_fields = ["initiative", "commitment"]
    change_form_template = "admin/proposals/proposal/change_form.html"

    @admin.display(description=gettext_lazy("name shown"))
    def shown_name(self, proposal):
        return proposal.shown_name

    @admin.display(description=gettext_lazy("answer"))
    def answer_status(self, proposal):
        answer = getattr(proposal, "answer", None)
        return answer.get_status_display() if answer else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(state=ProposalState.UNCONFIRMED)

    def has_add_permission(self, request):
        return False  # Residents send proposals; staff answer them.

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "initiative":
            queryset = Initiative.objects.select_related("ward")
            if not sees_every_ward(request.user):
                queryset = queryset.filter(ward=ward_of(request.user))
            kwargs["queryset"] = queryset
        elif db_field.name == "commitment":
            # A ward's commitments only (the city's own have no ward and never qualify).
            kwargs["queryset"] = (
                Commitment.objects.curated_by(request.user)
                .filter(initiative__isnull=False)
                .select_related("initiative__ward")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("queue/", view(self.queue_view), name="proposals_proposal_queue"),
            path(
                "<path:object_id>/moderate/",
                view(self.moderate_view),
                name="proposals_proposal_moderate",
            ),
            path(
                "<path:object_id>/answer/", view(self.answer_view), name="proposals_proposal_answer"
            ),
            *super().get_urls(),
        ]

    def _context(self, request, proposal, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": proposal,
            "proposal": proposal,
            **extra,
        }

    def _in_scope(self, request, object_id) -> Proposal:
        proposal = self.get_object(request, object_id)  # 404 outside the account's ward
        if not self.has_change_permission(request, proposal):
            raise PermissionDenied
        return proposal

    def queue_view(self, request):
        """Published proposals without an answer, by ward, oldest first, with their wait."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queue = self.get_queryset(request).for_queue().order_by("ward__position", "published_at")
        page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        now = timezone.now()
        for proposal in page:
            proposal.waited_days = (now - proposal.published_at).days
        wards = Ward.objects.all() if sees_every_ward(request.user) else [ward_of(request.user)]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Proposals awaiting an answer"),
            "page_obj": page,
            "now": now,
            "wards": [w for w in wards if w is not None],
        }
        return TemplateResponse(request, "admin/proposals/proposal/queue.html", context)

    def moderate_view(self, request, object_id):
        """Publish a confirmed proposal, or refuse it with a reason the resident receives."""
        proposal = self._in_scope(request, object_id)
        if proposal.state != ProposalState.CONFIRMED:
            messages.warning(request, _("This proposal has been moderated already."))
            return redirect(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
        form = ModerationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if form.cleaned_data["decision"] == "publish":
                done = services.proposal_publish(
                    proposal_id=proposal.pk, actor=request.user, site_url=site_url(request)
                )
                message = _("The proposal was published.")
            else:
                done = services.proposal_reject(
                    proposal_id=proposal.pk, actor=request.user, reason=form.cleaned_data["reason"]
                )
                message = _("The proposal was not published; the resident was told why.")
            if done:
                messages.success(request, message)
            else:
                messages.error(request, _("This proposal was moderated meanwhile."))
            return redirect(reverse("admin:proposals_proposal_changelist"))
        context = self._context(
            request, proposal, title=_("Moderate: %(title)s") % {"title": proposal}, form=form
        )
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "admin/proposals/proposal/moderate.html", context, status=status
        )

    def answer_view(self, request, object_id):
        """Answer a published proposal, or change its answer; the history of its versions."""
        proposal = self._in_scope(request, object_id)
        if proposal.state != ProposalState.PUBLISHED:
            messages.warning(request, _("Only a published proposal can be answered."))
            return redirect(reverse("admin:proposals_proposal_change", args=[proposal.pk]))
        answer = Answer.objects.filter(proposal=proposal).first()
        form = AnswerForm(request.POST or None, instance=answer, proposal=proposal)
        if request.method == "POST" and form.is_valid():
            services.answer_save(
                proposal_id=proposal.pk,
                actor=request.user,
                site_url=site_url(request),
                **{name: form.cleaned_data[name] for name in AnswerForm.Meta.fields},
            )
            messages.success(request, _("The answer was saved and the resident was told."))
            return redirect(reverse("admin:proposals_proposal_queue"))
        history = (
            answer.history.select_related("history_user", "department").order_by("-history_date")
            if answer
            else []
        )
        context = self._context(
            request,
            proposal,
            title=_("Answer: %(title)s") % {"title": proposal},
            form=form,
            answer=answer,
            history=history,
        )
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "admin/proposals/proposal/answer.html", context, status=status
        )


@admin.register(Answer)
class AnswerAdmin(WardScopedAdminMixin, SimpleHistoryAdmin):
    """Answers are read here, with their history; they are written on the proposal's
    answer page, which tells the resident."""

    ward_path = "proposal__ward"
    list_display = ["proposal", "status", "department", "answered_at", "updated_at"]
    list_filter = ["status", "proposal__ward"]
    list_select_related = ["proposal__ward", "department__ward"]

    def get_list_filter(self, request):
        return self.list_filter if sees_every_ward(request.user) else ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("proposals.view_answer") and self.in_scope(request, obj)
