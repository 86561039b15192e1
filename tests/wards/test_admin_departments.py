"""Departments in the admin and their import: each ward its own, the city's for all."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import DepartmentFactory, ward
from wards.models import Department

pytestmark = pytest.mark.django_db


def department_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "ward", "name", "name_en"])
    writer.writerows(rows)
    return buffer.getvalue().encode("cp932")


def upload(client, content):
    return client.post(
        "/admin/wards/department/import/",
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("d.csv", content)},
    )


def test_ward_staff_cannot_add_a_second_department_of_the_same_name(client, saiwai_staff):
    DepartmentFactory(ward=ward("saiwai"), name="地域振興課")
    client.force_login(saiwai_staff)

    response = client.post("/admin/wards/department/add/", {"name": "地域振興課"})

    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    assert Department.objects.count() == 1


def test_ward_staff_see_city_level_bureaux_nowhere_in_their_department_list(client, saiwai_staff):
    city = DepartmentFactory(ward=None, name="こども未来局")
    client.force_login(saiwai_staff)

    listed = client.get("/admin/wards/department/").context["cl"].result_list

    assert city not in listed
    assert client.get(f"/admin/wards/department/{city.pk}/change/").status_code == 404


def test_ward_staff_import_departments_into_their_ward(client, saiwai_staff):
    client.force_login(saiwai_staff)

    preview = upload(client, department_csv([["", "", "こども支援室", "Children's Office"]]))
    client.post("/admin/wards/department/process_import/", preview.context["confirm_form"].initial)

    assert Department.objects.get().ward.slug == "saiwai"


def test_a_department_row_for_another_ward_is_refused_and_nothing_is_saved(client, saiwai_staff):
    other = DepartmentFactory(ward=ward("tama"), name="道路公園センター")
    client.force_login(saiwai_staff)

    preview = upload(
        client,
        department_csv(
            [["", "saiwai", "こども支援室", ""], [str(other.pk), "saiwai", "乗っ取り", ""]]
        ),
    )

    assert "confirm_form" not in preview.context
    [invalid] = preview.context["result"].invalid_rows
    assert invalid.number == 2
    assert "他の区" in invalid.field_specific_errors["id"][0]
    assert list(Department.objects.values_list("name", flat=True)) == ["道路公園センター"]
