"""An initiative's page says when it was published and last updated (era and Gregorian), and
how to reach each responsible department; printed, only external links show their address."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from core.dates import era_date
from initiatives.models import Initiative
from tests import factories

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("day", "japanese", "english"),
    [
        (
            datetime.date(2026, 12, 1),
            "令和8年12月1日（2026年12月1日）",
            "1 December 2026 (Reiwa 8)",
        ),
        (datetime.date(2019, 5, 1), "令和元年5月1日（2019年5月1日）", "1 May 2019 (Reiwa 1)"),
        (
            datetime.date(2019, 4, 30),
            "平成31年4月30日（2019年4月30日）",
            "30 April 2019 (Heisei 31)",
        ),
        (datetime.date(1989, 1, 8), "平成元年1月8日（1989年1月8日）", "8 January 1989 (Heisei 1)"),
    ],
)
def test_a_date_is_written_in_its_era_and_in_the_gregorian_calendar(day, japanese, english):
    assert era_date(day, language="ja") == japanese
    assert era_date(day, language="en") == english


def test_an_initiative_page_shows_its_publication_and_update_dates(client):
    initiative = factories.InitiativeFactory(
        published_at=datetime.datetime(2026, 4, 1, 9, tzinfo=TOKYO)
    )
    Initiative.objects.filter(pk=initiative.pk).update(
        updated_at=datetime.datetime(2026, 11, 30, 23, 30, tzinfo=TOKYO)
    )
    text = client.get(initiative.get_absolute_url()).text
    assert "<dt>公開日</dt>" in text
    assert '<time datetime="2026-04-01">令和8年4月1日（2026年4月1日）</time>' in text
    assert "<dt>更新日</dt>" in text
    assert '<time datetime="2026-11-30">令和8年11月30日（2026年11月30日）</time>' in text


def test_the_responsible_departments_show_their_contact_details(client):
    ward = factories.WardFactory()
    reachable = factories.DepartmentFactory(
        ward=ward,
        name="地域振興課",
        phone="044-200-0000",
        email="chiiki@example.jp",
        web_page="https://www.city.example.jp/chiiki/",
    )
    silent = factories.DepartmentFactory(ward=ward, name="道路公園センター")
    initiative = factories.InitiativeFactory(ward=ward, departments=[reachable, silent])
    text = client.get(initiative.get_absolute_url()).text
    contacts = text[text.index('class="contacts"') :]
    assert 'href="tel:0442000000"' in contacts
    assert 'href="mailto:chiiki@example.jp"' in contacts
    assert 'href="https://www.city.example.jp/chiiki/"' in contacts
    assert "道路公園センター" in contacts
    assert "連絡先はまだ登録されていません" in contacts


def test_staff_fill_in_a_departments_contact_details_in_the_admin(client, secretariat):
    department = factories.DepartmentFactory(ward=None, name="市民文化局")
    client.force_login(secretariat)
    url = reverse("admin:wards_department_change", args=[department.pk])
    form = client.get(url).text
    for name in ("phone", "email", "web_page"):
        assert f'name="{name}"' in form
    response = client.post(
        url,
        {
            "name": "市民文化局",
            "name_en": "",
            "ward": "",
            "phone": "044-200-2111",
            "email": "bunka@example.jp",
            "web_page": "https://www.city.example.jp/",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    department.refresh_from_db()
    assert department.phone == "044-200-2111"


def test_a_phone_number_holds_digits_and_separators_only(client, secretariat):
    department = factories.DepartmentFactory(ward=None, name="市民文化局")
    client.force_login(secretariat)
    url = reverse("admin:wards_department_change", args=[department.pk])
    response = client.post(url, {"name": "市民文化局", "phone": "call me", "ward": ""})
    assert response.status_code == 200
    department.refresh_from_db()
    assert department.phone == ""


def test_print_styles_print_the_address_of_external_links_only():
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    assert 'a[href^="/"]::after' not in print_rules
    assert 'a[href^="http"]::after' in print_rules
