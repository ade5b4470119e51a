"""HTML parsing: text, headings, links with labels, forms (crawler._parse)."""

from __future__ import annotations

from crawler._parse import parse_html

PAGE = "http://a.go.th/ita/index.php"


def test_title_headings_and_visible_text() -> None:
    parsed = parse_html(
        "<html><head><title> ITA 2566 </title><style>p{}</style></head><body>"
        "<h1>การเปิดเผยข้อมูล</h1><h3>O1</h3><script>var hidden = 1</script>"
        "<noscript>enable js</noscript><p>ข้อมูล<b>พื้นฐาน</b></p><p>next</p></body></html>",
        PAGE,
    )
    assert parsed.title == "ITA 2566"
    assert parsed.headings == ["การเปิดเผยข้อมูล", "O1"]
    assert "ข้อมูลพื้นฐาน" in parsed.text  # no space inserted inside Thai words
    assert "พื้นฐาน next" in parsed.text  # but blocks are separated
    assert (
        "hidden" not in parsed.text and "enable js" not in parsed.text and "p{}" not in parsed.text
    )


def test_hub_row_context() -> None:
    parsed = parse_html(
        "<table><tr><td>O1</td><td>โครงสร้าง</td>"
        "<td><a href='files/o1.pdf'><img src='pdf.png' alt='PDF'></a></td>"
        "<td><a href='o1.php'>เปิด</a></td></tr>"
        "<tr><td>O2</td><td>ข้อมูลผู้บริหาร</td><td><a href='o2.php' title='ดูข้อมูล'>คลิก</a></td></tr>"
        "</table>",
        PAGE,
    )
    pdf, open_, click = parsed.links
    assert pdf.url == "http://a.go.th/ita/files/o1.pdf" and pdf.text == "" and pdf.title == "PDF"
    assert "O1 โครงสร้าง" in pdf.context
    assert open_.text == "เปิด" and "โครงสร้าง" in open_.context and "ผู้บริหาร" not in open_.context
    assert click.title == "ดูข้อมูล" and "O2 ข้อมูลผู้บริหาร" in click.context


def test_list_item_and_definition_list_context() -> None:
    parsed = parse_html(
        "<ul><li>แผนปฏิบัติการป้องกันการทุจริต <a href='/a'>ดาวน์โหลด</a></li></ul>"
        "<dl><dt>คู่มือการปฏิบัติงาน</dt><dd><a href='/b'>เปิด</a></dd></dl>",
        PAGE,
    )
    assert "แผนปฏิบัติการป้องกันการทุจริต" in parsed.links[0].context
    assert "คู่มือการปฏิบัติงาน" in parsed.links[1].context


def test_context_is_bounded() -> None:
    filler = "ก" * 2000
    parsed = parse_html(f"<div>{filler} รายงาน <a href='/x'>เปิด</a> {filler}</div>", PAGE)
    context = parsed.links[0].context
    assert len(context) <= 310 and "เปิด" in context


def test_link_kinds_base_and_skipped_schemes() -> None:
    parsed = parse_html(
        "<head><base href='http://a.go.th/base/'>"
        "<meta http-equiv='Refresh' content=\"0; URL='main.php'\"></head>"
        "<map><area href='area.php' alt='แผนที่'></map>"
        "<iframe src='frame.php' title='ข่าว'></iframe>"
        "<a href='javascript:void(0)'>js</a><a href='mailto:x@a.go.th'>m</a>"
        "<a href='tel:02'>t</a><a href='data:text/html,x'>d</a><a href='#top'>top</a>"
        "<a href='https://www.facebook.com/agency'><img alt='Facebook' title='fb page'></a>",
        PAGE,
    )
    by_tag = {link.tag: link for link in parsed.links}
    assert by_tag["meta-refresh"].url == "http://a.go.th/base/main.php"
    assert by_tag["area"].url == "http://a.go.th/base/area.php" and by_tag["area"].title == "แผนที่"
    assert (
        by_tag["iframe"].url == "http://a.go.th/base/frame.php" and by_tag["iframe"].title == "ข่าว"
    )
    urls = [link.url for link in parsed.links]
    assert "http://a.go.th/base/" in urls  # "#top" is the page itself
    assert not any(u.startswith(("javascript", "mailto", "tel", "data")) for u in urls)
    fb = parsed.links[-1]
    assert fb.url == "https://www.facebook.com/agency" and fb.title == "Facebook fb page"
    assert all(link.source_url == PAGE for link in parsed.links)


def test_frameset() -> None:
    parsed = parse_html(
        "<frameset cols='20%,80%'><frame src='menu.html'><frame src='main.html'></frameset>", PAGE
    )
    assert [link.url for link in parsed.links] == [
        "http://a.go.th/ita/menu.html",
        "http://a.go.th/ita/main.html",
    ]


def test_noscript_links_are_kept() -> None:
    parsed = parse_html("<noscript><a href='/menu/o1'>O1</a></noscript>", PAGE)
    assert parsed.links[0].url == "http://a.go.th/menu/o1"


def test_max_links() -> None:
    html = "".join(f"<a href='/p{i}'>{i}</a>" for i in range(50))
    assert len(parse_html(html, PAGE, max_links=10).links) == 10


def test_forms() -> None:
    parsed = parse_html(
        "<form action='/complaint/save' method='POST'>"
        "<input type='hidden' name='token'><input name='name'><input type='email' name='email'>"
        "<select name='topic'></select><textarea name='detail'></textarea>"
        "<input type='file' name='evidence'><input type='submit' name='go'></form>"
        "<form><input name='q'></form>",
        PAGE,
    )
    complaint, search = parsed.forms
    assert complaint.action == "http://a.go.th/complaint/save" and complaint.method == "post"
    assert complaint.field_names == ("name", "email", "topic", "detail", "evidence")
    assert complaint.has_textarea and complaint.has_file_upload
    assert search.action == "" and search.method == "get" and search.field_names == ("q",)


def test_zero_width_spaces_removed() -> None:
    parsed = parse_html("<a href='/x'>ข่าว\u200bประชาสัมพันธ์</a>", PAGE)
    assert parsed.links[0].text == "ข่าวประชาสัมพันธ์"


def test_garbage_does_not_raise() -> None:
    parse_html("<<<a href=>>\x00<table><tr><td><a href='http://[bad'>x</a>", PAGE)
    parse_html("", PAGE)


def test_list_of_files_inside_a_labelled_row() -> None:
    parsed = parse_html(
        "<table><tr><td>O12 รายงานการกำกับติดตาม รอบ 6 เดือน</td>"
        "<td><ul><li><a href='/a.pdf'>ไฟล์ 1</a></li><li><a href='/b.pdf'>ไฟล์ 2</a></li></ul></td>"
        "</tr></table>",
        PAGE,
    )
    assert all("O12 รายงานการกำกับติดตาม" in link.context for link in parsed.links)


def test_layout_table_row_does_not_hide_the_paragraph() -> None:
    news = "".join(f"<p>ข่าว {i} <a href='/n/{i}'>อ่านต่อ</a></p>" for i in range(100))
    parsed = parse_html(f"<table><tr><td>{news}</td></tr></table>", PAGE)
    assert parsed.links[5].context == "ข่าว 5 อ่านต่อ"


def test_images_where_a_qr_code_may_be() -> None:
    parsed = parse_html(
        "<html><head><style>.hero { background: url('/img/hero.jpg') } "
        "@font-face { src: url(/f/th.woff2) }</style></head><body>"
        "<div class='card'><a href='https://itas.nacc.go.th/go/eit/lglly5'>"
        "<img src='/img/qr.png' alt=''></a><p>สแกน QR Code (EIT)</p></div>"
        "<img src='data:image/gif;base64,R0lGOD' data-src='/img/lazy.jpg'>"
        "<img src='/img/s.jpg' srcset='/img/s-480.jpg 480w, /img/s-1200.jpg 1200w'>"
        "<img src='/img/x.png' srcset='/img/x.png 1x, /img/x@2x.png 2x'>"
        "<img src='/img/icon.png' width='16' height='16'><img src='/logo.svg'>"
        "<a href='/files/qr-eit.png'>ดาวน์โหลด QR</a><a href='/files/o1.pdf'>O1</a>"
        '<div style="background-image: url(&quot;/img/banner.png&quot;)">ร่วมประเมิน ITA</div>'
        "</body></html>",
        PAGE,
    )
    images = {ref.url.removeprefix("http://a.go.th"): ref for ref in parsed.images}
    assert list(images) == [
        "/img/qr.png",
        "/img/lazy.jpg",
        "/img/s-1200.jpg",
        "/img/x@2x.png",
        "/img/icon.png",
        "/files/qr-eit.png",
        "/img/banner.png",
        "/img/hero.jpg",
    ]
    assert images["/img/qr.png"].context == "สแกน QR Code (EIT)"
    assert images["/img/icon.png"].tiny and not images["/img/qr.png"].tiny
    assert images["/files/qr-eit.png"].title == "ดาวน์โหลด QR"
    assert images["/img/banner.png"].context == "ร่วมประเมิน ITA"
    assert not any(link.url.endswith(".png") and link.tag != "a" for link in parsed.links)


def test_image_records_name_the_person_or_chart_they_show() -> None:
    """O2 counts a photo per executive and O1 a chart picture: each image's record keeps
    its alt text and the text of its own card, table row or figure — not the whole page."""
    parsed = parse_html(
        "<div id='content'><h2>คณะผู้บริหาร</h2>"
        "<div class='person'><img src='/p/1.jpg' alt='นายสมชาย ใจดี' width='120' height='160'>"
        "<p>นายสมชาย ใจดี</p><p>นายกเทศมนตรี</p><p>โทร. ๐๘๑-๒๓๔-๕๖๗๘</p></div>"
        "<div class='person'><img src='/p/2.jpg'><p>นางสมศรี แสงทอง</p><p>ปลัดเทศบาล</p></div>"
        "<table><tr><td><img src='/p/3.jpg'></td><td>นายวิชัย ศรีสุข รองนายกเทศมนตรี</td></tr></table>"
        "<figure><img src='/u/5f3a.jpg'><figcaption>แผนภูมิโครงสร้างส่วนราชการ</figcaption></figure>"
        "<img src='/img/bullet.gif' width='12' height='12'></div>",
        PAGE,
    )
    images = {ref.url.removeprefix("http://a.go.th"): ref for ref in parsed.images}
    one, two, three = images["/p/1.jpg"], images["/p/2.jpg"], images["/p/3.jpg"]
    assert one.title == "นายสมชาย ใจดี" and not one.tiny
    assert one.context == "นายสมชาย ใจดี นายกเทศมนตรี โทร. ๐๘๑-๒๓๔-๕๖๗๘"
    assert two.title == "" and two.context == "นางสมศรี แสงทอง ปลัดเทศบาล"  # its own card only
    assert three.context == "นายวิชัย ศรีสุข รองนายกเทศมนตรี"  # the row, not the table
    assert images["/u/5f3a.jpg"].context == "แผนภูมิโครงสร้างส่วนราชการ"
    assert images["/img/bullet.gif"].tiny
