"""Writes on people: agency managers create users, change their role and switch them off.

New users get no password: an invitation email carries a one-time link to choose one (the same
token as a password reset), so no password ever travels by email or chat.
"""

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import User

USER_FIELDS = ("username", "first_name", "last_name", "email", "role", "timezone", "language")


def _check_actor(actor, user=None) -> None:
    if not actor.is_agency_manager:
        raise PermissionDenied
    if user is not None and user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser can change a superuser."))


def user_create(*, actor, base_url: str, **fields) -> User:
    """Create a user without a password and email them a link to choose one."""
    _check_actor(actor)
    user = User(**{k: v for k, v in fields.items() if k in USER_FIELDS})
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    if not user.email:
        raise ValidationError({"email": _("A new user needs an email address for the invitation.")})
    with transaction.atomic():
        user.save()
        transaction.on_commit(lambda: user_invite(user=user, base_url=base_url))
    return user


def user_invite(*, user: User, base_url: str) -> None:
    """Send (or send again) the invitation: a link to set a password, valid like a password-reset link."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "url": base_url.rstrip("/") + path}
    # In the language chosen for them, if any (else the manager's, as before).
    with translation.override(user.language or translation.get_language()):
        send_mail(
            subject=_("Your helloITA Brand Hub account"),
            message=render_to_string("registration/invitation_email.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


def user_update(*, actor, user: User, **fields) -> User:
    _check_actor(actor, user)
    if user == actor and fields.get("role", user.role) != user.role:
        raise ValidationError({"role": _("You cannot change your own role.")})
    for name, value in fields.items():
        if name in USER_FIELDS:
            setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def user_set_active(*, actor, user: User, active: bool) -> User:
    """Switch an account off (it keeps its history) or back on. Nobody switches themselves off."""
    _check_actor(actor, user)
    if user == actor and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


def apikey_create(*, actor, name: str, scopes, brands=(), expires_at=None):
    """Create a partner key. Returns ``(api_key, key)``: the key itself is shown once and never stored.

    ``actor`` is the manager in the console, or None from ``manage.py apikey`` (the operator's shell).
    """
    from .api.auth import generate_key
    from .models import ApiKey

    if actor is not None:
        _check_actor(actor)
    unknown = sorted(set(scopes) - set(ApiKey.Scope.values))
    if not scopes or unknown:
        raise ValidationError(
            {"scopes": _("Choose scopes among: %(scopes)s.") % {"scopes": ", ".join(ApiKey.Scope.values)}}
        )
    key, prefix = generate_key()
    api_key = ApiKey(name=name, prefix=prefix, key_hash=ApiKey.hash(key), scopes=sorted(set(scopes)))
    api_key.expires_at, api_key.created_by = expires_at, actor
    api_key.full_clean()
    with transaction.atomic():
        api_key.save()
        api_key.brands.set(brands)
    return api_key, key


def apikey_revoke(*, actor, api_key):
    """Revoke a key at once, in every process (its cached lookup is dropped)."""
    from django.utils import timezone

    from .api.auth import forget

    if actor is not None:
        _check_actor(actor)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    transaction.on_commit(lambda: forget(api_key.key_hash))
    return api_key
