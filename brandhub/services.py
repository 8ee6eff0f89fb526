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
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import User

USER_FIELDS = ("username", "first_name", "last_name", "email", "role", "timezone")


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
