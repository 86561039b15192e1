"""Who may do what in the admin: each role against each model and action."""

import pytest
from django.contrib.auth.models import Permission

from initiatives.models import Initiative, InitiativePoint, Photo, Vision
from tests.admin_pages import OBJECT_ACTIONS, assert_no_id_opens, url
from tests.factories import (
    CaseStudyFactory,
    DepartmentFactory,
    InitiativeFactory,
    InitiativePointFactory,
    PhotoFactory,
    UserFactory,
    ward,
)
from tests.portal.helpers import answered
from wards.models import Department

pytestmark = pytest.mark.django_db

# model path in the admin → a factory making one object of the given ward
WARD_CONTENT = {
    "initiatives/initiative": lambda w: InitiativeFactory(ward=w),
    "initiatives/initiativepoint": lambda w: InitiativePointFactory(
        initiative=InitiativeFactory(ward=w)
    ),
    "initiatives/photo": lambda w: PhotoFactory(initiative=InitiativeFactory(ward=w)),
    "wards/department": lambda w: DepartmentFactory(ward=w),
}


@pytest.mark.parametrize("model_path", WARD_CONTENT)
def test_ward_staff_list_only_their_own_wards_objects(client, saiwai_staff, model_path):
    own = WARD_CONTENT[model_path](ward("saiwai"))
    other = WARD_CONTENT[model_path](ward("tama"))
    client.force_login(saiwai_staff)

    response = answered(client, url(model_path))

    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert own.pk in listed
    assert other.pk not in listed


@pytest.mark.parametrize("action", OBJECT_ACTIONS)
@pytest.mark.parametrize("model_path", WARD_CONTENT)
@pytest.mark.parametrize(
    ("user", "ward_slug"),
    [("saiwai_staff", "saiwai"), ("secretariat", "tama")],
    ids=["ward-staff-their-own-ward", "the-secretariat-any-ward"],
)
def test_staff_open_the_objects_of_the_wards_they_serve(
    client, request, user, ward_slug, model_path, action
):
    obj = WARD_CONTENT[model_path](ward(ward_slug))
    client.force_login(request.getfixturevalue(user))

    assert client.get(url(model_path, obj.pk, action)).status_code == 200


@pytest.mark.parametrize("action", OBJECT_ACTIONS)
@pytest.mark.parametrize("model_path", WARD_CONTENT)
def test_ward_staff_are_refused_every_id_of_another_ward(client, saiwai_staff, model_path, action):
    others = [WARD_CONTENT[model_path](ward(slug)) for slug in ("tama", "asao", "kawasaki")]
    client.force_login(saiwai_staff)

    assert_no_id_opens(client, model_path, action, others)


@pytest.mark.parametrize("model_path", WARD_CONTENT)
def test_ward_staff_cannot_delete_another_wards_object_by_posting(client, saiwai_staff, model_path):
    other = WARD_CONTENT[model_path](ward("tama"))
    client.force_login(saiwai_staff)

    response = client.post(url(model_path, other.pk, "delete"), {"post": "yes"})

    assert response.status_code in (403, 404)
    assert type(other).objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("model_path", WARD_CONTENT)
def test_ward_staff_delete_their_own_wards_object(client, saiwai_staff, model_path):
    own = WARD_CONTENT[model_path](ward("saiwai"))
    if model_path == "wards/department":
        own.initiatives.clear()
    client.force_login(saiwai_staff)

    response = client.post(url(model_path, own.pk, "delete"), {"post": "yes"})

    assert response.status_code == 302
    assert not type(own).objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("model_path", WARD_CONTENT)
def test_the_secretariat_lists_every_ward(client, secretariat, model_path):
    objects = [WARD_CONTENT[model_path](ward(slug)) for slug in ("saiwai", "tama")]
    client.force_login(secretariat)

    listed = {obj.pk for obj in client.get(url(model_path)).context["cl"].result_list}

    assert {obj.pk for obj in objects} <= listed


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/initiatives/initiative/",
        "/admin/initiatives/initiative/add/",
        "/admin/initiatives/initiative/import/",
        "/admin/initiatives/initiative/export/",
        "/admin/auth/user/",
    ],
)
def test_committee_members_have_no_admin_access(client, member, path):
    client.force_login(member)

    response = client.get(path)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model_path", ["initiatives/vision", "initiatives/casestudy"])
def test_ward_staff_read_the_report_structure_but_cannot_change_it(
    client, saiwai_staff, model_path
):
    case = CaseStudyFactory()
    obj = case if model_path.endswith("casestudy") else case.vision
    client.force_login(saiwai_staff)

    assert client.get(url(model_path)).status_code == 200
    assert client.get(url(model_path, obj.pk, "change")).status_code == 200
    assert client.get(url(model_path, action="add")).status_code == 403
    assert client.post(url(model_path, obj.pk, "change"), {"title": "x"}).status_code == 403
    assert client.post(url(model_path, obj.pk, "delete"), {"post": "yes"}).status_code == 403
    assert Vision.objects.get().title != "x"


def test_ward_staff_cannot_manage_accounts(client, saiwai_staff):
    client.force_login(saiwai_staff)

    assert client.get("/admin/auth/user/").status_code == 403


def test_the_secretariat_cannot_edit_a_superuser_or_grant_superuser_status(client, secretariat):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(secretariat)

    assert client.post(url("auth/user", root.pk, "change"), {"username": "x"}).status_code == 403
    assert client.get(url("auth/user", root.pk, "password")).status_code == 403
    response = client.get(url("auth/user", secretariat.pk, "change"))
    assert "is_superuser" not in response.context["adminform"].form.fields


def test_a_new_initiative_of_ward_staff_belongs_to_their_ward_whatever_they_post(
    client, saiwai_staff
):
    client.force_login(saiwai_staff)
    data = initiative_form_data(title="新しい取組", ward=ward("tama").pk)

    response = client.post(url("initiatives/initiative", action="add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Initiative.objects.get(title="新しい取組").ward.slug == "saiwai"


def test_ward_staff_cannot_move_a_point_or_photo_to_another_wards_initiative(client, saiwai_staff):
    other = InitiativeFactory(ward=ward("tama"))
    client.force_login(saiwai_staff)

    point = client.post(
        url("initiatives/initiativepoint", action="add"),
        {
            "initiative": other.pk,
            "part": "aim",
            "position": 1,
            "depth": 0,
            "style": "bullet",
            "text": "x",
        },
    )
    photo = client.post(
        url("initiatives/photo", action="add"),
        {"initiative": other.pk, "position": 0, "caption": "x", "alt_text": "x"},
    )

    assert point.status_code == photo.status_code == 200
    assert "initiative" in point.context["adminform"].form.errors
    assert "initiative" in photo.context["adminform"].form.errors
    assert not InitiativePoint.objects.exists()
    assert not Photo.objects.exists()


def test_a_new_department_of_ward_staff_belongs_to_their_ward(client, saiwai_staff):
    client.force_login(saiwai_staff)

    response = client.post(url("wards/department", action="add"), {"name": "こども支援室"})

    assert response.status_code == 302
    assert Department.objects.get(name="こども支援室").ward.slug == "saiwai"


@pytest.mark.parametrize("action", ["import", "export"])
@pytest.mark.parametrize("model_path", ["initiatives/initiative", "wards/department"])
def test_import_and_export_need_their_permission(client, model_path, action, saiwai_staff):
    plain_staff = UserFactory(username="plain", is_staff=True)
    app_label, model = model_path.split("/")
    plain_staff.user_permissions.add(
        Permission.objects.get(codename=f"view_{model}", content_type__app_label=app_label)
    )

    client.force_login(plain_staff)
    assert client.get(url(model_path, action=action)).status_code == 403
    client.force_login(saiwai_staff)
    assert client.get(url(model_path, action=action)).status_code == 200


def initiative_form_data(**fields):
    """A valid POST for the initiative change form, with empty inlines."""
    data = {
        "title": "取組",
        "summary": "",
        "editorial_note": "",
        "position": 0,
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
    }
    for prefix in ("points", "points-2", "points-3", "photos", "commitments"):
        data |= {
            f"{prefix}-TOTAL_FORMS": 0,
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    return data | fields
