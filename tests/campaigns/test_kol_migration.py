"""The content items' free-text KOL turned into links (``0010_kol_links``), on sample texts as staff typed them."""

import datetime
import io

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns import kol_names

BEFORE = [("campaigns", "0009_kols_and_livestreams")]
AFTER = [("campaigns", "0011_kol_text")]

# Typed KOL names as they were found on items, and who they are.
SAMPLES = [
    "意式生活家Lily",  # the platform name: Chinese with a Latin name in it
    "意式生活家Lily（小红书）",  # the same, with a trailing platform in full-width brackets
    "意式生活家 lily",  # the same, spaced and lower case
    "Li Jiaqi / 李佳琦",  # a Latin and a Chinese form of one name
    "李佳琦（抖音）",  # the Chinese form, with a platform
    "li jiaqi",  # the Latin form alone: the only KOL with these letters
    "ＣＯＣＯ",  # full-width letters
    "珠宝控Coco",
    "酒评人Lily",  # another Lily: a Chinese name of its own
    "Lily",  # ... so a bare "Lily" is two people: ambiguous
    "待定",  # a placeholder
    "TBD",
    "Lily & Coco",  # two people in one text
    "Coco (tbc)",  # not confirmed
    "-",
]


def test_parse_reads_the_forms_of_a_name():
    assert kol_names.parse("意式生活家Lily（小红书）").zh == "意式生活家Lily"
    assert kol_names.parse("意式生活家Lily（小红书）").platform == "red"
    assert (kol_names.parse("Li Jiaqi / 李佳琦").zh, kol_names.parse("Li Jiaqi / 李佳琦").latin) == (
        "李佳琦",
        "Li Jiaqi",
    )
    assert kol_names.parse("李佳琦（Li Jiaqi）").latin == "Li Jiaqi"
    assert kol_names.parse("Lily - RED").platform == "red"
    assert kol_names.parse("@Coco@小红书").latin == "Coco"
    assert kol_names.parse("ＬＩＬＹ").latin_key == "lily"
    assert kol_names.parse("Jean-Paul").problem is None  # a hyphen inside a name is no separator
    assert kol_names.parse("和菜头").zh == "和菜头"  # 和 starting a name is no "and"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("待定", kol_names.PLACEHOLDER),
        ("N/A", kol_names.PLACEHOLDER),
        ("KOL", kol_names.PLACEHOLDER),
        ("Lily & Coco", kol_names.SEVERAL),
        ("吃货小鹿和Lily", kol_names.SEVERAL),
        ("Lily x Coco", kol_names.SEVERAL),
        ("Coco (tbc)", kol_names.UNCONFIRMED_NAME),
        ("A", kol_names.TOO_SHORT),
        ("--", kol_names.EMPTY),
    ],
)
def test_texts_that_are_no_one_persons_name_are_reported_with_their_reason(text, reason):
    assert kol_names.parse(text).problem == reason


def test_match_groups_spellings_into_people_and_reports_the_rest():
    matching = kol_names.match(SAMPLES)
    people = {person.label: person for person in matching.people}

    assert set(people) == {"意式生活家Lily", "李佳琦", "珠宝控Coco", "酒评人Lily"}
    assert sorted(people["意式生活家Lily"].texts) == sorted(
        ["意式生活家Lily", "意式生活家Lily（小红书）", "意式生活家 lily"]
    )
    assert people["意式生活家Lily"].platforms == {"red"}
    assert people["李佳琦"].latin == "Li Jiaqi" and people["李佳琦"].platforms == {"douyin"}
    assert "li jiaqi" in people["李佳琦"].texts and "ＣＯＣＯ" in people["珠宝控Coco"].texts
    unmatched = {entry.text: entry for entry in matching.unmatched}
    assert set(unmatched) == {"Lily", "待定", "TBD", "Lily & Coco", "Coco (tbc)", "-"}
    assert unmatched["Lily"].reason == kol_names.AMBIGUOUS
    assert unmatched["Lily"].candidates == ["意式生活家Lily", "酒评人Lily"]


def test_match_links_to_the_kols_on_record_before_making_any():
    matching = kol_names.match(["lily (RED)", "意式生活家Lily"], known=[(7, "Lily", "意式生活家Lily")])

    (person,) = matching.people
    assert person.kol_id == 7 and sorted(person.texts) == ["lily (RED)", "意式生活家Lily"]


# --- the migration itself, on a database at 0009 -------------------------------------------------------------------


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0009():
    """The database at 0009 (the free-text KOL beside the new link) for the test, and back at every app's latest
    migration after it (going back to 0009 unapplied the migrations that depend on it, such as results' 0002)."""
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_links_items_makes_one_kol_per_person_and_keeps_what_it_could_not_match(at_0009, monkeypatch):
    apps = at_0009
    Campaign = apps.get_model("campaigns", "Campaign")
    ContentItem = apps.get_model("campaigns", "ContentItem")
    campaign = Campaign.objects.create(
        title="Double 11 2026", starts_on=datetime.date(2026, 10, 20), ends_on=datetime.date(2026, 11, 12)
    )
    when = datetime.datetime(2026, 11, 10, 12, tzinfo=datetime.UTC)
    ids = {}
    for text in [*SAMPLES, "意式生活家Lily", ""]:  # the platform name twice; an item without KOL
        item = ContentItem.objects.create(campaign=campaign, channel="kol_post", scheduled_at=when, kol=text)
        ids.setdefault(text, []).append(item.pk)
    out = io.StringIO()
    with monkeypatch.context() as patched:
        patched.setattr("sys.stdout", out)  # the migration prints its report
        apps = _migrate(AFTER)

    Kol = apps.get_model("campaigns", "Kol")
    KolAccount = apps.get_model("campaigns", "KolAccount")
    ContentItem = apps.get_model("campaigns", "ContentItem")
    assert sorted(Kol.objects.values_list("name_zh", "name")) == [
        ("意式生活家Lily", "Lily"),
        ("李佳琦", "Li Jiaqi"),
        ("珠宝控Coco", "Coco"),
        ("酒评人Lily", "Lily"),
    ]
    lily = Kol.objects.get(name_zh="意式生活家Lily")
    for text in ("意式生活家Lily", "意式生活家Lily（小红书）", "意式生活家 lily"):
        for pk in ids[text]:
            item = ContentItem.objects.get(pk=pk)
            assert (item.kol_id, item.kol_text) == (lily.pk, "")
    assert set(KolAccount.objects.filter(kol=lily).values_list("platform", flat=True)) == {"red"}
    assert ContentItem.objects.get(pk=ids["li jiaqi"][0]).kol.name_zh == "李佳琦"
    for text in ("Lily", "待定", "TBD", "Lily & Coco", "Coco (tbc)", "-"):
        item = ContentItem.objects.get(pk=ids[text][0])
        assert (item.kol_id, item.kol_text) == (None, text)  # kept for staff to fix
    assert ContentItem.objects.get(pk=ids[""][0]).kol_id is None
    report = out.getvalue()
    assert "10 content items linked to 4 KOLs (4 created)" in report
    assert "Could not match 6 names" in report
    assert "'Lily' (items" in report and "could be more than one KOL: 意式生活家Lily, 酒评人Lily" in report
    assert "'Lily & Coco'" in report and "several KOLs in one name" in report


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_run_again_after_a_rollback_makes_no_second_kol(at_0009):
    apps = at_0009
    Campaign = apps.get_model("campaigns", "Campaign")
    ContentItem = apps.get_model("campaigns", "ContentItem")
    campaign = Campaign.objects.create(
        title="Qixi", starts_on=datetime.date(2026, 8, 1), ends_on=datetime.date(2026, 8, 20)
    )
    when = datetime.datetime(2026, 8, 10, 12, tzinfo=datetime.UTC)
    ContentItem.objects.create(campaign=campaign, channel="kol_post", scheduled_at=when, kol="吃货小鹿")
    _migrate(AFTER)
    apps = _migrate(BEFORE)  # back to free text: the item gets its KOL's name again, the KOL stays
    assert apps.get_model("campaigns", "ContentItem").objects.get().kol == "吃货小鹿"
    apps = _migrate(AFTER)

    Kol = apps.get_model("campaigns", "Kol")
    assert Kol.objects.count() == 1
    assert apps.get_model("campaigns", "ContentItem").objects.get().kol_id == Kol.objects.get().pk


def test_a_latin_name_finds_the_chinese_name_it_reads_as_in_pinyin():
    matching = kol_names.match(["李佳琦（抖音）", "Li Jiaqi"])
    (person,) = matching.people
    assert person.zh == "李佳琦" and person.latin == "Li Jiaqi" and not matching.unmatched
    # Two Chinese names that read alike: the Latin one alone could be either, and is reported.
    homophones = kol_names.match(["李佳琦", "李家琪", "Li Jiaqi"])
    assert [(u.text, u.reason) for u in homophones.unmatched] == [("Li Jiaqi", kol_names.AMBIGUOUS)]
