"""Project-wide behaviour: health check, security headers and settings, sessions, login lockout, media, i18n."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_when_the_broker_is_down(client, settings):
    from brandhub.celery import app

    previous = app.conf.broker_url, app.conf.broker_transport
    app.conf.broker_url, app.conf.broker_transport = "redis://127.0.0.1:1/0", None
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url, app.conf.broker_transport = previous
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error") and response.json()["database"] == "ok"


def test_pages_allow_only_our_own_origin(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "http" not in policy


def test_templates_load_nothing_from_other_hosts():
    import re

    pattern = re.compile(r"""(src|href)=["'](https?:)?//""")
    offenders = [p for p in (ROOT / "templates").rglob("*.html") if pattern.search(p.read_text())]
    assert offenders == []


def _deploy_check(**extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "brandhub.settings.production",
        "DJANGO_SECRET_KEY": "x" * 30 + "-production-test-" + "y" * 30,
        "DJANGO_ALLOWED_HOSTS": "brandhub.example.com",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "brandhub.settings.production"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_session_key_rotates_at_login_and_idle_expiry_is_set(client, editor):
    from tests.factories import PASSWORD

    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    response = client.post(reverse("login"), {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_login_locks_out_after_repeated_failures(client, editor):
    from tests.factories import PASSWORD

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": editor.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_a_form_error(client, editor):
    response = client.post(reverse("login"), {"username": editor.username, "password": "wrong"})
    assert response.status_code == 200 and response.context["form"].errors


def test_password_reset_sends_an_email(client, editor, mailoutbox):
    client.post(reverse("password_reset"), {"email": editor.email})
    assert len(mailoutbox) == 1 and editor.email in mailoutbox[0].to


def test_media_is_served_nosniff_and_only_as_images(client, media_root):
    (media_root / "images").mkdir()
    (media_root / "images" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (media_root / "images" / "evil.html").write_text("<script>alert(1)</script>")
    (media_root / "images" / "evil.svg").write_text("<svg onload=alert(1)>")
    response = client.get("/media/images/a.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    assert client.get("/media/images/evil.html").status_code == 404
    assert client.get("/media/images/evil.svg").status_code == 404
    assert client.get("/media/../pyproject.toml").status_code == 404


@pytest.mark.parametrize(("language", "text"), [("it", "Accedi"), ("zh-hans", "登录"), ("en", "Log in")])
def test_ui_speaks_three_languages(client, language, text):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert text in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("timezone", ["Asia/Shanghai", "Europe/Rome"])
def test_times_follow_the_users_time_zone(client_for, editor, brand, timezone):
    editor.timezone = timezone
    editor.save()
    response = client_for(editor).get(reverse("brands:brand_detail", kwargs={"slug": brand.slug}))
    assert f"Times in {timezone}" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("home", {}),
        ("login", {}),
        ("brands:brand_list", {}),
        ("brands:brand_detail", {"slug": "a-b"}),
        ("brands:brand_export", {"fmt": "csv"}),
        ("brands:brandrevision_restore", {"slug": "a-b", "number": 3}),
    ],
)
def test_url_round_trip(name, kwargs):
    from django.urls import resolve

    url = reverse(name, kwargs=kwargs)
    assert resolve(url).view_name == name


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accounts/password_reset/", "Password reset"),
        ("/accounts/reset/MQ/bad-token/", "Password reset unsuccessful"),
    ],
)
def test_password_pages_render(client, url, heading):
    response = client.get(url, follow=True)
    assert response.status_code == 200 and f"<h1>{heading}</h1>" in response.content.decode()


def test_password_change_page_renders(client_for, editor):
    response = client_for(editor).get(reverse("password_change"))
    assert "<h1>Password change</h1>" in response.content.decode()


def test_make_runs_closing_box_gives_the_address_and_the_demo_logins(db, brand):
    from brandhub.management.commands.runall import Command
    from tests.factories import EditorFactory, ManagerFactory, MembershipFactory, UserFactory

    ManagerFactory(username="manager"), EditorFactory(username="editor")
    MembershipFactory(user=UserFactory(username="brand"), brand=brand)
    box = Command.welcome("127.0.0.1:8000").splitlines()

    assert box[0].startswith("┌") and box[-1].startswith("└")
    text = "\n".join(box)
    assert "http://127.0.0.1:8000/" in text
    for login in ("manager", "editor", "brand"):
        assert f"  {login} " in text
    assert "sees only" in text and len({len(line) for line in box}) == 1  # a closed box


def test_make_run_on_another_port_prints_qr_codes_and_links_for_that_port():
    from brandhub.management.commands.runall import Command

    assert Command.child_environment("127.0.0.1:9000", {})["PUBLIC_BASE_URL"] == "http://127.0.0.1:9000"
    chosen = {"PUBLIC_BASE_URL": "https://hub.example.com"}
    assert Command.child_environment("127.0.0.1:9000", chosen)["PUBLIC_BASE_URL"] == "https://hub.example.com"
