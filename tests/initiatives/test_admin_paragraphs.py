"""Paragraphs typed in the admin stay paragraphs: the browser's CRLF is stored as LF."""

import pytest

from initiatives.models import Initiative
from tests.admin_forms import form_data, inline_prefix
from tests.factories import InitiativeFactory, ward

pytestmark = pytest.mark.django_db


def test_a_narrative_posted_with_crlf_through_the_admin_shows_its_paragraphs(client, saiwai_staff):
    initiative = InitiativeFactory(ward=ward("saiwai"), summary="一つ。", case_study=None)
    client.force_login(saiwai_staff)
    url = f"/admin/initiatives/initiative/{initiative.pk}/change/"
    page = client.get(url)
    data = form_data(page, "initiative_form")
    data["summary"] = "第一段落の一行目。\r\n一行目の続き。\r\n\r\n第二段落。\r\r第三段落。"
    aims = inline_prefix(page, "aim")
    data[f"{aims}-TOTAL_FORMS"] = "1"
    data |= {f"{aims}-0-text": "一行目\r\n二行目", f"{aims}-0-depth": "0"}
    data[f"{aims}-0-style"] = "bullet"

    assert client.post(url, data).status_code == 302

    initiative = Initiative.objects.get(pk=initiative.pk)
    assert "\r" not in initiative.summary
    assert initiative.points.get().text == "一行目\n二行目"
    public = client.get(initiative.get_absolute_url()).content.decode()
    assert "<p>第一段落の一行目。\n一行目の続き。</p>" in public
    assert "<p>第二段落。</p>" in public
    assert "<p>第三段落。</p>" in public


def test_every_models_text_is_stored_with_lf_whoever_writes_it(db):
    initiative = InitiativeFactory(summary="一。\r\n\r\n二。", editorial_note="注\r")

    initiative.refresh_from_db()

    assert (initiative.summary, initiative.editorial_note) == ("一。\n\n二。", "注\n")
    assert initiative.paragraphs == ["一。", "二。"]
