"""Agency names in evidence: another agency's name is flagged with both names."""

from __future__ import annotations

from rules import evaluate, load_catalog
from rules._agency import agency_names, other_agencies, own_agency


def test_names_and_abbreviations() -> None:
    text = (
        "ขององค์การบริหารส่วนตำบลบึงกระจับ ประจำปี เทศบาลตำบลศาลาลาย มีผล "
        "อบต.คำโคกสูง ได้รายงาน และ อบต. ดอนมะเฟืองทอง"
    )
    assert [a.name for a in agency_names(text)] == ["บึงกระจับ", "ศาลาลาย", "คำโคกสูง", "ดอนมะเฟืองทอง"]
    assert agency_names("เทศบาลตำบลศาลาลาย")[0].kind == "ทต."


def test_generic_mentions_are_not_names() -> None:
    text = "เทศบาลตำบลมีหน้าที่ต้องทำ องค์การบริหารส่วนตำบล ทุกแห่ง อบต. และเทศบาล"
    assert agency_names(text) == []


def test_words_of_a_statute_are_not_names() -> None:
    """A pasted Act speaks of "the" agency type, not of an agency with a name."""
    text = (
        "มาตรา ๖๔ นายกองค์การบริหารส่วนตำบลพ้นจากตำแหน่ง เมื่อ... "
        "ให้เทศบาลตำบลกำหนดหลักเกณฑ์ และองค์การบริหารส่วนตำบลออกข้อบัญญัติ "
        "องค์การบริหารส่วนตำบลเลือกตั้ง"
    )
    assert agency_names(text) == []


def test_name_running_into_the_next_word_is_the_same_agency() -> None:
    own = own_agency("องค์การบริหารส่วนตำบลบึงกระจับ", "", [])
    assert own is not None and own.name == "บึงกระจับ"
    assert other_agencies("องค์การบริหารส่วนตำบลบึงกระจับประจำปีงบประมาณ", own) == []
    assert other_agencies("อบต.บึงกระจับ", own) == []  # the abbreviation is the same agency
    (other,) = other_agencies("เทศบาลตำบลศาลาลาย และเทศบาลตำบลศาลาลาย", own)
    assert other.shown == "เทศบาลตำบลศาลาลาย"


def test_own_agency_from_title_or_most_pages() -> None:
    assert own_agency(None, "หน้าแรก | เทศบาลตำบลท่าศิลางาม", []).name == "ท่าศิลางาม"
    pages = ["อบต.โพนแก้วเหนือ ยินดีต้อนรับ", "อบต.โพนแก้วเหนือ", "ร่วมกับ เทศบาลตำบลนาดี"]
    assert own_agency(None, "ยินดีต้อนรับ", pages).name == "โพนแก้วเหนือ"
    assert own_agency(None, "", []) is None


def test_evaluate_flags_evidence_naming_another_agency(site_from_html) -> None:
    cat = load_catalog("ita-2566")
    crawl = site_from_html(
        {
            "/": "<title>หน้าแรก | องค์การบริหารส่วนตำบลบึงกระจับ</title>"
            '<a href="/law">กฎหมายที่เกี่ยวข้อง</a><a href="/m">คู่มือสำหรับประชาชน</a>',
            "/m": "<title>คู่มือสำหรับประชาชน</title><p>งานบริการของเทศบาลตำบลศาลาลาย ขั้นตอน</p>",
            "/law": "<title>กฎหมายที่เกี่ยวข้อง</title><p>พระราชบัญญัติเทศบาล เทศบาลตำบลศาลาลาย</p>",
        }
    )
    results = {r.code: r for r in evaluate(cat, crawl)}
    flag = results["O15"].reasons[-1]
    assert "ศาลาลาย" in flag.th and "บึงกระจับ" in flag.th and "another agency" in flag.en
    # O6 (laws) names agencies in general terms: its rule turns the check off
    assert not any("another agency" in r.en for r in results["O6"].reasons)
    # the registry's name wins over the page title
    results = {r.code: r for r in evaluate(cat, crawl, agency_name="เทศบาลตำบลศาลาลาย")}
    assert not any("another agency" in r.en for r in results["O15"].reasons)
