"""The publishing desk: go-lives to confirm, held and failed items, and the go-live pack of an item."""

import datetime
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from brandhub.access import AgencyStaffRequiredMixin, EditableLookupMixin
from campaigns.choices import ContentStatus
from campaigns.forms import ChinaDateTimeField
from campaigns.models import ContentItem, CreativeSize
from campaigns.services import CHINA

from . import selectors, services
from .publishers import PUBLISHERS, ManualPublisher


class PublishingDeskView(AgencyStaffRequiredMixin, TemplateView):
    template_name = "publishing/desk.html"

    def get_context_data(self, **kwargs):
        manual = [channel for channel, publisher in PUBLISHERS.items() if isinstance(publisher, ManualPublisher)]
        soon = (timezone.now() + datetime.timedelta(minutes=5)).astimezone(CHINA).strftime("%Y-%m-%dT%H:%M")
        return super().get_context_data(
            **selectors.desk(self.request.user),
            wait=selectors.confirm_wait(),
            manual_channels=manual,
            retry_at=soon,
            **kwargs,
        )


PACK_STATUSES = (ContentStatus.APPROVED, ContentStatus.SCHEDULED, ContentStatus.PUBLISHING, ContentStatus.HELD,
                 ContentStatus.PUBLISHED, ContentStatus.FAILED)  # fmt: skip


class GoLivePackView(EditableLookupMixin, TemplateView):
    """Everything a person needs to put an item live by hand: texts per language, creatives at the channel's
    sizes, the campaign's tracked links, and the confirmation form."""

    template_name = "publishing/golive_pack.html"

    def lookup(self, user, pk):
        items = ContentItem.objects.editable_by(user).filter(status__in=PACK_STATUSES)
        self.item = get_object_or_404(items.select_related("campaign", "author"), pk=pk)

    def get_context_data(self, **kwargs):
        item = self.item
        texts = [
            (code, label, getattr(item, f"title_{code}"), getattr(item, f"body_{code}"))
            for code, label in (("zh_hans", "中文"), ("it", "Italiano"), ("en", "English"))
            if getattr(item, f"title_{code}") or getattr(item, f"body_{code}")
        ]
        tracked = getattr(item.campaign, "tracked_links", None)
        return super().get_context_data(
            item=item,
            publication=getattr(item, "publication", None),
            texts=texts,
            creatives=list(item.creatives.select_related("image")),
            sizes=list(CreativeSize.objects.filter(channel=item.channel)),
            links=list(tracked.filter(status="active")) if tracked is not None else [],
            **kwargs,
        )


class PackCreativeView(EditableLookupMixin, View):
    """A creative cut to one of the channel's sizes (centre crop), as a download."""

    def lookup(self, user, pk, creative_pk, size_pk):
        items = ContentItem.objects.editable_by(user).filter(status__in=PACK_STATUSES)
        self.item = get_object_or_404(items, pk=pk)
        self.creative = get_object_or_404(self.item.creatives.select_related("image"), pk=creative_pk)
        self.size = get_object_or_404(CreativeSize.objects.filter(channel=self.item.channel), pk=size_pk)

    def get(self, request, pk, creative_pk, size_pk):
        from PIL import Image, ImageOps

        try:
            with self.creative.image.file.open("rb") as handle:
                image = Image.open(handle)
                image.load()
        except (OSError, ValueError) as exc:
            raise Http404 from exc
        cut = ImageOps.fit(image.convert("RGB"), (self.size.width, self.size.height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        cut.save(out, "JPEG", quality=90)
        response = HttpResponse(out.getvalue(), content_type="image/jpeg")
        name = f"item-{self.item.pk}-creative-{self.creative.pk}-{self.size.width}x{self.size.height}.jpg"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response


class PublicationActionView(EditableLookupMixin, View):
    """A person's decision on an item of the desk: confirm a go-live, publish a held item now, reschedule, cancel."""

    ACTIONS = ("confirm", "publish_now", "reschedule", "cancel")

    def lookup(self, user, pk):
        self.item = get_object_or_404(ContentItem.objects.editable_by(user), pk=pk)

    def post(self, request, pk):
        action, item, user = request.POST.get("action"), self.item, request.user
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = "publishing:desk"
        try:
            if action == "confirm":
                services.publication_confirm(item=item, user=user, url=request.POST.get("url", "").strip())
                messages.success(request, _("The go-live was confirmed: the item is published."))
            elif action == "publish_now":
                services.publication_publish_now(item=item, user=user)
                messages.success(request, _("The item goes out now, marked late."))
            elif action == "reschedule":
                field = ChinaDateTimeField()
                when = field.clean(request.POST.get("scheduled_at"))
                services.publication_reschedule(item=item, user=user, scheduled_at=when)
                messages.success(request, _("The item was rescheduled."))
            elif action == "cancel":
                services.publication_cancel(item=item, user=user, comment=request.POST.get("comment", ""))
                messages.success(request, _("The item was cancelled."))
            else:
                raise ValidationError(_("Unknown action."))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(back)
