"""Officer roles: each group holds exactly what its job needs (views test their own boundaries)."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupApprovalTask, Page

from portal import roles
from tests.builders import ConsultationIndexPageFactory, HomePageFactory, UserFactory

pytestmark = pytest.mark.django_db


def member_of(*group_names):
    user = UserFactory()
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


def page_permissions(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.page_permissions.values_list("permission__codename", flat=True))


def test_migrations_create_every_role():
    names = set(Group.objects.values_list("name", flat=True))
    assert {
        roles.CONSULTATION_EDITORS,
        roles.CONSULTATION_APPROVERS,
        roles.MODERATORS,
        roles.ANALYSTS,
        roles.PERSONAL_DATA_ACCESS,
    } <= names
    assert "Editors" not in names


def test_every_role_can_open_the_admin():
    for name in roles.PAGE_PERMISSIONS:
        assert member_of(name).has_perm("wagtailadmin.access_admin"), name


def test_moderators_moderate_comments_and_nothing_else():
    moderator = member_of(roles.MODERATORS)
    assert moderator.has_perm("consultations.moderate_comment")
    assert moderator.get_all_permissions() == {
        "wagtailadmin.access_admin",
        "consultations.moderate_comment",
    }
    assert page_permissions(roles.MODERATORS) == set()


def test_analysts_see_results_and_keep_themes_but_never_personal_data():
    analyst = member_of(roles.ANALYSTS)
    assert analyst.has_perms(["consultations.view_results", "consultations.add_theme"])
    assert not analyst.has_perm("consultations.view_personal_data")
    assert not analyst.has_perm("consultations.moderate_comment")
    assert page_permissions(roles.ANALYSTS) == set()


def test_editors_write_pages_but_cannot_publish_or_see_responses():
    editor = member_of(roles.CONSULTATION_EDITORS)
    assert page_permissions(roles.CONSULTATION_EDITORS) == {"add_page", "change_page"}
    for permission in ("view_results", "view_personal_data", "moderate_comment"):
        assert not editor.has_perm(f"consultations.{permission}")


def test_approvers_publish_pages_and_approve_in_the_workflow():
    assert "publish_page" in page_permissions(roles.CONSULTATION_APPROVERS)
    task = GroupApprovalTask.objects.get()
    assert list(task.groups.values_list("name", flat=True)) == [roles.CONSULTATION_APPROVERS]


def test_personal_data_is_a_permission_only_its_own_group_grants():
    holders = [
        name
        for name in roles.PAGE_PERMISSIONS
        if member_of(name).has_perm("consultations.view_personal_data")
    ]
    assert holders == [roles.PERSONAL_DATA_ACCESS]


def test_page_permissions_of_an_editor_stop_short_of_publishing_a_consultation_page():
    home = HomePageFactory(parent=Page.get_first_root_node())
    index = ConsultationIndexPageFactory(parent=home)
    editor = member_of(roles.CONSULTATION_EDITORS)
    approver = member_of(roles.CONSULTATION_APPROVERS)
    assert index.permissions_for_user(editor).can_edit()
    assert not index.permissions_for_user(editor).can_publish()
    assert index.permissions_for_user(approver).can_publish()
    assert not index.permissions_for_user(member_of(roles.MODERATORS)).can_edit()


def test_defining_the_roles_again_removes_permissions_a_role_should_not_hold():
    moderators = Group.objects.get(name=roles.MODERATORS)
    moderators.permissions.add(
        Permission.objects.get(
            codename="view_personal_data", content_type__app_label="consultations"
        )
    )
    roles.ensure_officer_groups()
    assert not member_of(roles.MODERATORS).has_perm("consultations.view_personal_data")


@pytest.mark.parametrize("role", [roles.CONSULTATION_EDITORS, roles.CONSULTATION_APPROVERS])
def test_editors_and_approvers_can_add_a_topic_or_an_area(client, role):
    officer = member_of(role)
    for model in ("topic", "area"):
        assert officer.has_perm(f"consultations.add_{model}"), model
        assert officer.has_perm(f"consultations.change_{model}"), model
    client.force_login(officer)
    assert client.get("/admin/snippets/consultations/topic/add/").status_code == 200
    assert client.get("/admin/snippets/consultations/area/add/").status_code == 200


@pytest.mark.parametrize("role", [roles.MODERATORS, roles.ANALYSTS])
def test_other_roles_cannot_add_a_topic_or_an_area(role):
    officer = member_of(role)
    assert not officer.has_perm("consultations.add_topic")
    assert not officer.has_perm("consultations.add_area")
