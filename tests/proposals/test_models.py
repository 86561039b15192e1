import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from proposals.forms import AnswerForm
from proposals.models import Answer, AnswerStatus, Proposal, ProposalState, fiscal_year_of
from tests.factories import AnswerFactory, DepartmentFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def answer_form(ward, **data):
    """The answer form for a new proposal in ``ward``, signed by one of its departments."""
    proposal = ProposalFactory(ward=ward)
    department = DepartmentFactory(ward=ward)
    return AnswerForm({**data, "department": department.pk}, proposal=proposal)


def test_an_answer_of_difficult_without_a_way_forward_is_refused_by_the_form(saiwai):
    form = answer_form(saiwai, status=AnswerStatus.DIFFICULT, text="難しいです。", way_forward="  ")

    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["way_forward"]] == ["way_forward_required"]
    assert "道のひらき方" in form.errors["way_forward"][0]


@pytest.mark.parametrize("status", [s for s in AnswerStatus.values if s != AnswerStatus.WILL_DO])
def test_every_answer_but_will_do_without_a_way_forward_is_refused_by_the_database(saiwai, status):
    proposal = ProposalFactory(ward=saiwai)
    answer = Answer(
        proposal=proposal,
        status=status,
        text="回答",
        way_forward="",
        department=DepartmentFactory(ward=saiwai),
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        answer.save()  # bypassing clean()


def test_the_database_refuses_an_update_that_empties_the_way_forward(saiwai):
    answer = AnswerFactory(proposal=ProposalFactory(ward=saiwai))

    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(pk=answer.pk).update(way_forward="")


def test_an_answer_of_will_do_needs_no_way_forward(saiwai):
    form = answer_form(saiwai, status=AnswerStatus.WILL_DO, text="実施します。", way_forward="")

    assert form.is_valid(), form.errors
    form.save()
    assert Answer.objects.get().way_forward == ""


def refused_fields(answer):
    """The fields ``full_clean()`` names when it refuses ``answer``."""
    with pytest.raises(ValidationError) as refused:
        answer.full_clean()
    return refused.value.message_dict


def test_full_clean_names_the_way_forward_field(saiwai):
    answer = Answer(
        proposal=ProposalFactory(ward=saiwai),
        status=AnswerStatus.CONSIDERING,
        text="検討します。",
        department=DepartmentFactory(ward=saiwai),
    )

    assert list(refused_fields(answer)) == ["way_forward"]


def test_an_answer_cannot_be_signed_by_another_wards_department(saiwai, tama):
    answer = Answer(
        proposal=ProposalFactory(ward=saiwai),
        status=AnswerStatus.WILL_DO,
        text="実施します。",
        department=DepartmentFactory(ward=tama),
    )

    assert "department" in refused_fields(answer)


def test_an_unknown_answer_status_is_refused_by_the_database(saiwai):
    answer = AnswerFactory.build(proposal=ProposalFactory(ward=saiwai), status="maybe")
    answer.department.save()

    with pytest.raises(IntegrityError), transaction.atomic():
        answer.save()


@pytest.mark.parametrize(
    "values",
    [
        {"state": "lost"},
        {"state": ProposalState.CONFIRMED, "confirmed_at": None},
        {"state": ProposalState.PUBLISHED, "published_at": None},
        {"state": ProposalState.REJECTED, "rejection_reason": ""},
        {"text": "あ" * 4001},
    ],
)
def test_the_database_refuses_a_proposal_in_an_impossible_state(saiwai, values):
    proposal = ProposalFactory(ward=saiwai)

    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(**values)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.datetime(2025, 3, 31, 23, 59), 2024),
        (datetime.datetime(2025, 4, 1, 0, 0), 2025),
        (datetime.datetime(2019, 5, 1, 12, 0), 2019),
    ],
)
def test_a_proposal_belongs_to_the_fiscal_year_it_was_sent_in(saiwai, day, year):
    sent = timezone.make_aware(day)  # Asia/Tokyo
    assert fiscal_year_of(sent) == year
    assert ProposalFactory(ward=saiwai, created_at=sent).fiscal_year == year


def test_a_proposal_without_a_name_is_shown_as_anonymous(saiwai):
    assert ProposalFactory(ward=saiwai, display_name="").shown_name == "匿名"
    assert ProposalFactory(ward=saiwai, display_name="川崎花子").shown_name == "川崎花子"


def test_the_public_queryset_holds_published_proposals_only(saiwai):
    published = ProposalFactory(ward=saiwai)
    ProposalFactory(ward=saiwai, unconfirmed=True)
    ProposalFactory(ward=saiwai, confirmed=True)
    ProposalFactory(
        ward=saiwai, state=ProposalState.REJECTED, rejection_reason="個人名", published_at=None
    )

    assert list(Proposal.objects.published()) == [published]


def test_a_commitment_of_another_ward_or_of_the_city_is_refused_by_clean(saiwai, tama):
    from tests.factories import CommitmentFactory, InitiativeFactory, SectionPointFactory

    proposal = ProposalFactory(ward=saiwai)
    others = [
        CommitmentFactory(initiative=InitiativeFactory(ward=tama)),
        CommitmentFactory(initiative=None, section_point=SectionPointFactory()),
    ]
    for other in others:
        proposal.commitment = other
        with pytest.raises(ValidationError) as refused:
            proposal.full_clean()
        assert [e.code for e in refused.value.error_dict["commitment"]] == ["other_ward"]

    proposal.commitment = CommitmentFactory(initiative=InitiativeFactory(ward=saiwai))
    proposal.full_clean()
