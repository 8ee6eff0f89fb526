"""Account management by agency managers."""

import re

import pytest
from django.urls import reverse

from brandhub.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


NEW = {
    "username": "anna.r",
    "first_name": "Anna",
    "last_name": "Rossi",
    "email": "anna@pastificio.example",
    "role": "brand",
    "timezone": "Europe/Rome",
}


def test_manager_creates_a_user_who_is_invited_and_sets_a_password(
    client_for, manager, mailoutbox, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(reverse("user_create"), NEW)
    assert response.status_code == 302
    user = User.objects.get(username="anna.r")
    assert not user.has_usable_password() and user.timezone == "Europe/Rome"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["anna@pastificio.example"]
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    client.logout()
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": "Gelato-al-pistacchio-7", "new_password2": "Gelato-al-pistacchio-7"})
    assert User.objects.get(pk=user.pk).check_password("Gelato-al-pistacchio-7")


@pytest.mark.parametrize("who", ["editor", "brand_user"])
def test_only_managers_manage_users(client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("user_list")).status_code == 403
    assert client.post(reverse("user_create"), NEW).status_code == 403
    assert not User.objects.filter(username="anna.r").exists()


def test_user_list_shows_brand_access(client_for, manager, brand_user, brand):
    response = client_for(manager).get(reverse("user_list"), {"role": "brand"})
    assert list(response.context["object_list"]) == [brand_user]
    assert brand.name_it in response.content.decode()


def test_deactivated_user_cannot_log_in(client_for, manager, editor, client):
    client_for(manager).post(reverse("user_action", args=[editor.pk]), {"action": "deactivate"})
    client.logout()
    response = client.post(reverse("login"), {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_manager_cannot_deactivate_or_demote_themselves(client_for, manager):
    client = client_for(manager)
    client.post(reverse("user_action", args=[manager.pk]), {"action": "deactivate"})
    assert User.objects.get(pk=manager.pk).is_active
    data = {**NEW, "username": manager.username, "email": "m@example.com", "role": "editor"}
    response = client.post(reverse("user_update", args=[manager.pk]), data)
    assert response.status_code == 200 and "own role" in response.content.decode()
    assert User.objects.get(pk=manager.pk).role == "manager"


def test_manager_cannot_touch_a_superuser(client_for, manager):
    root = UserFactory(username="root", is_superuser=True, role="manager")
    assert client_for(manager).post(reverse("user_action", args=[root.pk]), {"action": "deactivate"}).status_code == 403
    assert User.objects.get(pk=root.pk).is_active


def test_new_user_needs_a_valid_unique_username(client_for, manager, editor):
    response = client_for(manager).post(reverse("user_create"), {**NEW, "username": editor.username})
    assert response.status_code == 200 and response.context["form"].errors["username"]


def test_user_list_query_count_is_flat(client_for, manager):
    from tests.factories import BrandFactory, MembershipFactory
    from tests.utils import count_queries

    client = client_for(manager)
    brand = BrandFactory()
    for _ in range(3):
        MembershipFactory(brand=brand)
    few = count_queries(client, reverse("user_list"))
    for _ in range(30):
        MembershipFactory(brand=brand)
    assert count_queries(client, reverse("user_list")) == few


def test_manager_creates_a_key_shown_once_and_revokes_it(
    client_for, manager, brand, django_capture_on_commit_callbacks
):
    from brandhub.models import ApiKey

    client = client_for(manager)
    response = client.post(reverse("apikey_list"), {"name": "Tmall", "scopes": ["brands:read"], "brands": [brand.pk]})
    key = response.context["new_key"]
    api_key = ApiKey.objects.get()
    assert key.startswith(f"hita_{api_key.prefix}_") and api_key.key_hash == ApiKey.hash(key)
    assert key not in client.get(reverse("apikey_list")).content.decode()
    assert client.get(f"/api/v1/brands/{brand.slug}/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("apikey_revoke", args=[api_key.pk]))
    assert client.get(f"/api/v1/brands/{brand.slug}/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_only_managers_manage_keys(client_for, editor):
    assert client_for(editor).get(reverse("apikey_list")).status_code == 403
    assert client_for(editor).post(reverse("apikey_list"), {"name": "x", "scopes": ["brands:read"]}).status_code == 403


def test_apikey_command_prints_the_key_last(db, capsys):
    from django.core.management import call_command

    from brandhub.models import ApiKey

    call_command("apikey", "create", "--name", "Pinduoduo", "--scopes", "brands:read,calendar:read")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert ApiKey.objects.get().key_hash == ApiKey.hash(key)
