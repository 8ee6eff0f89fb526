"""Brand editors propose changes to their brand's profile; staff accept or reject them side by side."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from brandhub.models import OutboxEvent
from brands.documents import brand_document
from brands.images import image_ingest
from brands.models import Brand, BrandChangeProposal, BrandRevision, ImageAsset
from brands.proposals import proposal_accept, proposal_reject, proposal_submit, proposal_withdraw
from brands.services import brand_update
from tests.brands.test_images import SECRETS, assert_no_metadata, encode, exif_with_secrets, make_image
from tests.factories import BrandFactory, MembershipFactory, UserFactory
from tests.utils import count_queries, stored_files

pytestmark = pytest.mark.django_db
Status = BrandChangeProposal.Status
OIL = {"code": "FA-EVO-500", "name_it": "Olio extravergine", "name_en": "Extra virgin olive oil", "price_cny": "268"}


def edit(brand):
    return reverse("brands:brand_update", kwargs={"slug": brand.slug})


def url(name, proposal, **extra):
    return reverse(
        f"brands:brandchangeproposal_{name}", kwargs={"slug": proposal.brand.slug, "pk": proposal.pk, **extra}
    )


def document(brand):
    return brand_document(
        Brand.objects.prefetch_related("stores", "products", "certifications", "contacts").get(pk=brand.pk)
    )


def payload(client, brand, **changes):
    """What the edit page posts back when nothing is touched, with ``changes`` on top (``products-0-price_cny``)."""
    response = client.get(edit(brand))
    assert response.status_code == 200
    form, data = response.context["form"], {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if not name.endswith("_upload") and value is not None:
            data[name] = value
    for name, _label, formset in response.context["formset_sections"]:
        rows = formset.initial or []
        data.update({f"{name}-TOTAL_FORMS": str(len(rows)), f"{name}-INITIAL_FORMS": str(len(rows))})
        for number, row in enumerate(rows):
            data.update({f"{name}-{number}-{k}": "" if v is None else v for k, v in row.items()})
    data.update(changes)
    return data


def logo_upload(color=(0, 132, 61), name="logo.png"):
    return image_ingest(SimpleUploadedFile(name, make_image("PNG", size=(300, 300), color=color)))


@pytest.fixture
def oil_brand(brand, editor):
    """The brand with one product, as staff left it (revision 2)."""
    return brand_update(brand=brand, user=editor, products=[OIL])


@pytest.fixture
def proposal(oil_brand, brand_editor):
    return proposal_submit(
        brand=oil_brand,
        user=brand_editor,
        fields={"description_zh_hans": "托斯卡纳冷榨特级初榨橄榄油"},
        products=[{**OIL, "price_cny": "288"}],
    )


# --- a brand editor proposes; nothing of the brand changes ------------------------------------------------------


def test_a_brand_editors_save_creates_a_proposal_and_changes_nothing_of_the_brand(client_for, brand_editor, oil_brand):
    client = client_for(brand_editor)
    before, events = document(oil_brand), OutboxEvent.objects.count()
    data = payload(
        client, oil_brand, **{"description_zh_hans": "托斯卡纳冷榨特级初榨橄榄油", "products-0-price_cny": "288"}
    )

    response = client.post(edit(oil_brand), data)

    assert response.status_code == 302 and response.url.endswith("#proposals")
    assert document(oil_brand) == before
    assert oil_brand.revisions.count() == 2 and OutboxEvent.objects.count() == events
    proposal = BrandChangeProposal.objects.get()
    assert (proposal.status, proposal.proposed_by, proposal.base_revision) == (Status.PENDING, brand_editor, 2)
    assert proposal.document["fields"]["description_zh_hans"] == "托斯卡纳冷榨特级初榨橄榄油"
    assert proposal.document["products"][0]["price_cny"] == "288.00"
    assert proposal.base == before
    page = client.get(oil_brand.get_absolute_url()).content.decode()
    assert "托斯卡纳冷榨特级初榨橄榄油" in page and "Waiting for review" in page and "288.00" in page


def test_saving_again_updates_the_one_pending_proposal_and_the_form_starts_from_it(client_for, brand_editor, proposal):
    client = client_for(brand_editor)
    form = client.get(edit(proposal.brand)).context["form"]
    assert form.initial["description_zh_hans"] == "托斯卡纳冷榨特级初榨橄榄油"  # the proposal, not the brand

    client.post(edit(proposal.brand), payload(client, proposal.brand, city="Lucca"))

    proposal.refresh_from_db()
    assert BrandChangeProposal.objects.count() == 1 and proposal.version == 2
    assert proposal.document["fields"]["city"] == "Lucca"
    assert proposal.document["fields"]["description_zh_hans"] == "托斯卡纳冷榨特级初榨橄榄油"  # kept
    assert proposal.document["products"][0]["price_cny"] == "288.00"


def test_two_editors_of_a_brand_each_have_their_own_proposal(oil_brand, brand_editor, proposal):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, brand=oil_brand, role="editor")
    proposal_submit(brand=oil_brand, user=colleague, fields={"city": "Siena"})
    assert BrandChangeProposal.objects.filter(brand=oil_brand, status=Status.PENDING).count() == 2
    with pytest.raises(PermissionDenied):
        proposal_withdraw(proposal=proposal, user=colleague)


def test_a_viewer_cannot_propose(client_for, brand_user, brand):
    with pytest.raises(PermissionDenied):
        proposal_submit(brand=brand, user=brand_user, fields={"city": "Lucca"})
    assert client_for(brand_user).get(edit(brand)).status_code == 404
    assert client_for(brand_user).post(edit(brand), {"name_it": "x", "city": "Lucca"}).status_code == 404
    assert not BrandChangeProposal.objects.exists()


def test_staff_edit_directly_and_propose_nothing(client_for, editor, brand, other_brand, brand_editor):
    with pytest.raises(PermissionDenied):
        proposal_submit(brand=brand, user=editor, fields={"city": "Lucca"})
    with pytest.raises(PermissionDenied):
        proposal_submit(brand=other_brand, user=brand_editor, fields={"city": "Lucca"})
    assert not BrandChangeProposal.objects.exists()


def test_the_agencys_fields_cannot_be_proposed(brand, brand_editor):
    with pytest.raises(ValidationError) as exc:
        proposal_submit(brand=brand, user=brand_editor, fields={"status": "left", "city": "Lucca"})
    assert "status" in exc.value.message_dict
    assert not BrandChangeProposal.objects.exists()


def test_a_proposal_that_changes_nothing_is_refused_on_the_form(client_for, brand_editor, brand):
    client = client_for(brand_editor)
    response = client.post(edit(brand), payload(client, brand))
    assert response.status_code == 200
    assert "there is nothing to propose" in " ".join(response.context["form"].non_field_errors())
    assert not BrandChangeProposal.objects.exists()


def test_an_invalid_proposal_is_refused_when_made_not_when_reviewed(brand, brand_editor):
    with pytest.raises(ValidationError) as exc:
        proposal_submit(
            brand=brand,
            user=brand_editor,
            fields={"city": "Lucca"},
            products=[{"code": "A", "name_it": "x", "price_cny": "-3"}],
        )
    assert "products" in exc.value.message_dict
    assert not BrandChangeProposal.objects.exists()


def test_a_product_image_must_be_one_of_the_brands(brand, other_brand, brand_editor, editor, media_root):
    foreign = brand_update(
        brand=other_brand, user=editor, products=[{"code": "X", "name_it": "x"}], logo=logo_upload()
    ).logo
    with pytest.raises(ValidationError) as exc:
        proposal_submit(brand=brand, user=brand_editor, products=[{"code": "A", "name_it": "a", "image": foreign.pk}])
    assert "not one of the brand's" in str(exc.value)


# --- who reaches the proposal pages -----------------------------------------------------------------------------


def test_another_brands_user_gets_404_on_the_proposal_urls_and_403_on_staff_decisions(
    client_for, proposal, other_brand
):
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, brand=other_brand, role="editor")
    client = client_for(stranger)
    assert client.get(url("detail", proposal)).status_code == 404
    assert client.post(url("withdraw", proposal)).status_code == 404
    assert client.get(url("image", proposal, asset=1, rendition="thumb")).status_code == 404
    assert client.post(url("accept", proposal), {"version": 1}).status_code == 403
    assert client.post(url("reject", proposal), {"version": 1, "comment": "no"}).status_code == 403
    # The right id under another brand's slug is not found either.
    wrong = reverse("brands:brandchangeproposal_detail", kwargs={"slug": other_brand.slug, "pk": proposal.pk})
    assert client_for(proposal.proposed_by).get(wrong).status_code == 404
    assert BrandChangeProposal.objects.get().status == Status.PENDING


def test_the_brands_viewer_reads_the_proposal_but_cannot_withdraw_it(client_for, brand_user, proposal):
    client = client_for(brand_user)
    page = client.get(url("detail", proposal)).content.decode()
    assert "托斯卡纳冷榨特级初榨橄榄油" in page and "Withdraw" not in page
    assert client.post(url("withdraw", proposal)).status_code == 404
    assert BrandChangeProposal.objects.get().status == Status.PENDING


def test_brand_users_cannot_decide(proposal, brand_editor):
    with pytest.raises(PermissionDenied):
        proposal_accept(proposal=proposal, user=brand_editor, version=proposal.version)
    with pytest.raises(PermissionDenied):
        proposal_reject(proposal=proposal, user=brand_editor, version=proposal.version, comment="no")


# --- staff review -----------------------------------------------------------------------------------------------


def test_the_review_page_shows_only_what_differs_side_by_side_in_the_readers_language(client_for, manager, proposal):
    client = client_for(manager)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(url("detail", proposal))
    page = response.content.decode()
    labels = [line.label for line in response.context["proposal"].lines]
    with translation.override("zh-hans"):
        from brands.history import child_label, field_label

        assert labels == [field_label("description_zh_hans"), f"{child_label('products[FA-EVO-500]')} · 价格（人民币）"]
    assert "268.00" in page and "288.00" in page and "托斯卡纳冷榨特级初榨橄榄油" in page
    assert "Frantoio Aurelio" in page and "Firenze" not in page  # an unchanged field is not listed
    assert 'name="version" value="1"' in page and 'name="revision" value="2"' in page


def test_accept_applies_the_proposal_as_one_revision_naming_the_proposer(client_for, manager, brand_editor, proposal):
    client = client_for(manager)
    response = client.post(url("accept", proposal), {"version": 1, "revision": 2, "comment": "Checked with the brand"})

    assert response.status_code == 302 and response.url == reverse("brands:brandchangeproposal_list")
    brand = Brand.objects.get(pk=proposal.brand_id)
    assert brand.description_zh_hans == "托斯卡纳冷榨特级初榨橄榄油"
    assert str(brand.products.get().price_cny) == "288.00"
    revision = brand.revisions.first()
    assert (revision.number, revision.user, revision.proposed_by) == (3, manager, brand_editor)
    assert revision.comment == "Checked with the brand"
    assert {c["field"] for c in revision.changes} == {"description_zh_hans", "products[FA-EVO-500]"}
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reviewed_by, proposal.revision_number) == (Status.ACCEPTED, manager, 3)
    history = client.get(brand.get_absolute_url()).content.decode()
    assert "proposed by brand-editor, accepted by manager" in history
    assert OutboxEvent.objects.filter(type="brand.updated", brand_ids=[brand.pk]).count() == 3  # create, staff, this


def test_accept_keeps_what_staff_changed_meanwhile_on_other_fields_and_rows(oil_brand, editor, manager, proposal):
    brand_update(
        brand=oil_brand,
        user=editor,
        fields={"city": "Lucca"},
        products=[{**OIL, "name_en": "EVO oil, cold pressed"}],
    )
    accepted = proposal_accept(proposal=proposal, user=manager, version=1)

    brand = Brand.objects.get(pk=oil_brand.pk)
    product = brand.products.get()
    assert brand.city == "Lucca" and brand.description_zh_hans == "托斯卡纳冷榨特级初榨橄榄油"
    assert (product.name_en, str(product.price_cny)) == ("EVO oil, cold pressed", "288.00")
    assert accepted.revision_number == 4


def test_a_conflict_is_shown_with_the_value_the_proposer_started_from(client_for, oil_brand, editor, manager, proposal):
    brand_update(brand=oil_brand, user=editor, fields={"description_zh_hans": "工作人员的新描述"})
    client = client_for(manager)

    response = client.get(url("detail", proposal))

    line = response.context["proposal"].lines[0]
    assert (line.now, line.proposed, line.conflict, line.was) == (
        "工作人员的新描述",
        "托斯卡纳冷榨特级初榨橄榄油",
        True,
        "—",
    )
    assert not response.context["proposal"].lines[1].conflict  # the price: nobody else touched it
    page = response.content.decode()
    assert (
        "1 field changed on the brand since it was proposed" in page and "Changed since the proposal was made." in page
    )
    list_page = client.get(reverse("brands:brandchangeproposal_list")).content.decode()
    assert "1 changed since" in list_page


def test_a_stale_accept_is_refused_clearly(client_for, oil_brand, editor, manager, brand_editor, proposal):
    client = client_for(manager)
    proposal_submit(brand=oil_brand, user=brand_editor, fields={"city": "Pisa"})  # version 2, after the page opened

    response = client.post(url("accept", proposal), {"version": 1, "revision": 2}, follow=True)

    assert "The proposal was changed after you opened it" in response.content.decode()
    assert Brand.objects.get(pk=oil_brand.pk).city != "Pisa"
    assert BrandChangeProposal.objects.get().status == Status.PENDING
    brand_update(brand=oil_brand, user=editor, fields={"website": "https://aurelio.example"})  # revision 3
    response = client.post(url("accept", proposal), {"version": 2, "revision": 2}, follow=True)
    assert "The brand was changed after you opened this page" in response.content.decode()
    assert BrandChangeProposal.objects.get().status == Status.PENDING
    with pytest.raises(ValidationError):
        proposal_accept(proposal=proposal, user=manager, version=2, revision=2)
    proposal_accept(proposal=proposal, user=manager, version=2, revision=3)
    assert Brand.objects.get(pk=oil_brand.pk).city == "Pisa"


def test_an_accepted_or_rejected_proposal_cannot_be_decided_again(proposal, manager, editor):
    proposal_reject(proposal=proposal, user=manager, version=1, comment="Prices are set by the distributor.")
    with pytest.raises(ValidationError) as exc:
        proposal_accept(proposal=proposal, user=editor, version=1)
    assert exc.value.code == "decided"
    assert Brand.objects.get(pk=proposal.brand_id).revisions.count() == 2


def test_accept_when_staff_already_made_the_same_change_writes_no_revision(oil_brand, editor, manager, proposal):
    brand_update(
        brand=oil_brand,
        user=editor,
        fields={"description_zh_hans": "托斯卡纳冷榨特级初榨橄榄油"},
        products=[{**OIL, "price_cny": "288"}],
    )
    accepted = proposal_accept(proposal=proposal, user=manager, version=1)
    assert accepted.status == Status.ACCEPTED and accepted.revision_number is None
    assert oil_brand.revisions.count() == 3


def test_reject_needs_a_comment_and_the_proposer_reads_it_on_the_brand_page(
    client_for, manager, brand_editor, proposal
):
    client = client_for(manager)
    response = client.post(url("reject", proposal), {"version": 1, "comment": "  "}, follow=True)
    assert "This field is required." in response.content.decode()
    assert BrandChangeProposal.objects.get().status == Status.PENDING

    client.post(url("reject", proposal), {"version": 1, "comment": "The price is set by the distributor."})

    proposal.refresh_from_db()
    assert (proposal.status, proposal.reviewed_by) == (Status.REJECTED, manager)
    assert Brand.objects.get(pk=proposal.brand_id).revisions.count() == 2
    page = client_for(brand_editor).get(proposal.brand.get_absolute_url()).content.decode()
    assert "Rejected by manager" in page and "The price is set by the distributor." in page


def test_the_proposer_withdraws_their_pending_proposal(client_for, brand_editor, proposal):
    client = client_for(brand_editor)
    response = client.post(url("withdraw", proposal))
    assert response.status_code == 302
    assert BrandChangeProposal.objects.get().status == Status.WITHDRAWN
    assert client.post(url("withdraw", proposal)).status_code == 404  # no longer pending
    page = client.get(proposal.brand.get_absolute_url()).content.decode()
    assert "托斯卡纳冷榨特级初榨橄榄油" not in page


# --- images ---------------------------------------------------------------------------------------------------


def test_images_of_a_proposal_stay_private_until_accepted(
    client_for, brand, brand_editor, manager, media_root, django_capture_on_commit_callbacks
):
    data = encode(make_image_with_exif(), "JPEG", exif=exif_with_secrets())
    client = client_for(brand_editor)
    client.post(edit(brand), payload(client, brand, logo_upload=SimpleUploadedFile("holiday-gps.jpg", data)))

    proposal = BrandChangeProposal.objects.get()
    asset = ImageAsset.objects.get(pk=proposal.document["fields"]["logo"])
    assert asset.file.name.startswith("private/") and Brand.objects.get(pk=brand.pk).logo is None
    stored = (media_root / asset.file.name).read_bytes()
    assert_no_metadata(stored)
    assert not any(secret in stored for secret in SECRETS)
    # The public media address refuses it; the proposal's image view serves it to the brand's users and staff.
    assert client.get(asset.file.storage.url(asset.file.name)).status_code == 404
    image_url = url("image", proposal, asset=asset.pk, rendition="thumb")
    assert client.get(image_url).status_code == 200 and "private" in client.get(image_url)["Cache-Control"]
    assert image_url in client.get(url("detail", proposal)).content.decode()
    assert client_for(manager).get(image_url).status_code == 200
    assert client_for(None).get(image_url).status_code == 302  # to the login page

    with django_capture_on_commit_callbacks(execute=True):
        proposal_accept(proposal=proposal, user=manager, version=1)

    logo = Brand.objects.get(pk=brand.pk).logo
    assert logo is not None and not logo.file.name.startswith("private/") and logo.sha256 == asset.sha256
    assert not ImageAsset.objects.filter(pk=asset.pk).exists()
    assert not [p for p in stored_files(media_root) if "private" in str(p.relative_to(media_root))]
    assert client_for(None).get(logo.thumb_url).status_code == 200
    assert client_for(manager).get(image_url).status_code == 404  # the proposal now shows the public copy


def make_image_with_exif():
    from PIL import Image

    return Image.new("RGB", (300, 300), (0, 132, 61))


def test_a_replaced_or_withdrawn_proposal_image_is_deleted(
    brand, brand_editor, media_root, django_capture_on_commit_callbacks
):
    first = proposal_submit(brand=brand, user=brand_editor, logo=logo_upload())
    first_files = set(stored_files(media_root))
    assert len(first_files) == 4  # the image and its three renditions
    with django_capture_on_commit_callbacks(execute=True):
        proposal = proposal_submit(brand=brand, user=brand_editor, logo=logo_upload(color=(205, 33, 42)))
    assert proposal.pk == first.pk and not first_files & set(stored_files(media_root))
    assert ImageAsset.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        proposal_withdraw(proposal=proposal, user=brand_editor)

    assert stored_files(media_root) == [] and not ImageAsset.objects.exists()


def test_a_refused_proposal_stores_no_image(brand, brand_editor, media_root):
    with pytest.raises(ValidationError):
        proposal_submit(brand=brand, user=brand_editor, fields={"website": "not an address"}, logo=logo_upload())
    assert stored_files(media_root) == [] and not ImageAsset.objects.exists()


def test_a_bad_image_is_a_form_error_and_nothing_is_proposed(client_for, brand, brand_editor, media_root):
    client = client_for(brand_editor)
    bad = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    response = client.post(edit(brand), payload(client, brand, logo_upload=bad))
    assert response.status_code == 200 and "SVG" in " ".join(response.context["form"].errors["logo_upload"])
    assert not BrandChangeProposal.objects.exists() and stored_files(media_root) == []


# --- lists, counts, pages -----------------------------------------------------------------------------------------


def test_the_staff_list_shows_pending_proposals_oldest_first_and_its_query_count_is_flat(client_for, manager):
    client = client_for(manager)
    list_url = reverse("brands:brandchangeproposal_list")

    def make(n):
        for _ in range(n):
            brand = BrandFactory(products=[{"code": "A", "name_it": "a", "price_cny": "10"}])
            user = UserFactory()
            MembershipFactory(user=user, brand=brand, role="editor")
            proposal_submit(brand=brand, user=user, fields={"city": "Lucca"}, products=[{"code": "A", "name_it": "b"}])

    make(1)
    few = count_queries(client, list_url)
    make(9)
    assert count_queries(client, list_url) == few
    rows = client.get(list_url).context["proposals"]
    assert len(rows) == 10 and [p.updated_at for p in rows] == sorted(p.updated_at for p in rows)
    assert all(len(p.lines) == 3 for p in rows)  # the city, the product's Italian name, its price


def test_the_brand_page_query_count_is_flat_with_proposals(client_for, brand, manager):
    client = client_for(manager)

    def make(n):
        for _ in range(n):
            user = UserFactory()
            MembershipFactory(user=user, brand=brand, role="editor")
            proposal_submit(brand=brand, user=user, fields={"city": f"City {user.pk}"}, logo=logo_upload())

    make(1)
    few = count_queries(client, brand.get_absolute_url())
    make(4)
    assert count_queries(client, brand.get_absolute_url()) == few


def test_the_staff_home_counts_pending_proposals(client_for, manager, proposal):
    page = client_for(manager).get(reverse("home")).content.decode()
    assert reverse("brands:brandchangeproposal_list") in page and "1 proposed change to review" in page


def test_a_decided_proposal_shows_what_was_proposed(client_for, manager, brand_editor, proposal):
    proposal_accept(proposal=proposal, user=manager, version=1)
    response = client_for(brand_editor).get(url("detail", proposal))
    assert [line.proposed for line in response.context["proposal"].lines] == ["托斯卡纳冷榨特级初榨橄榄油", "288.00"]
    assert "In the history as revision #3" in response.content.decode()


def test_one_pending_proposal_per_user_and_brand_is_a_database_rule(proposal):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        BrandChangeProposal.objects.create(
            brand=proposal.brand, proposed_by=proposal.proposed_by, document={}, base={}, base_revision=1
        )
    BrandChangeProposal.objects.filter(pk=proposal.pk).update(status=Status.REJECTED)
    BrandChangeProposal.objects.create(
        brand=proposal.brand, proposed_by=proposal.proposed_by, document={}, base={}, base_revision=1
    )
    assert BrandRevision.objects.filter(brand=proposal.brand).count() == 2


def test_a_rejected_proposals_images_are_deleted_after_the_retention_and_its_page_says_so(
    brand, brand_editor, manager, media_root, client_for, settings
):
    import datetime

    from django.utils import timezone

    from brands.proposals import proposal_images_expire
    from brands.tasks import proposal_images_expire as task

    settings.PROPOSAL_IMAGE_RETENTION_DAYS = 30
    old = proposal_submit(brand=brand, user=brand_editor, logo=logo_upload())
    proposal_reject(proposal=old, user=manager, version=old.version, comment="Not this logo.")
    BrandChangeProposal.objects.filter(pk=old.pk).update(reviewed_at=timezone.now() - datetime.timedelta(days=31))
    old_files = set(stored_files(media_root))
    recent = proposal_submit(brand=brand, user=brand_editor, logo=logo_upload(color=(205, 33, 42)))
    proposal_reject(proposal=recent, user=manager, version=recent.version, comment="Nor this one.")
    pending = proposal_submit(brand=brand, user=brand_editor, logo=logo_upload(color=(20, 20, 200)))
    assert ImageAsset.objects.count() == 3 and len(stored_files(media_root)) == 12

    assert task() == 1  # what the daily task does
    assert not old_files & set(stored_files(media_root)) and len(stored_files(media_root)) == 8
    assert proposal_images_expire() == 0  # nothing more to delete: the recent and the pending keep theirs
    page = client_for(brand_editor).get(url("detail", old)).content.decode()
    assert "(image no longer stored)" in page and "Not this logo." in page
    assert client_for(brand_editor).get(url("detail", pending)).status_code == 200
