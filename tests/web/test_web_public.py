"""Public pages: landing, listings search with htmx partials and hints, listing detail, errors, language."""

import datetime as dt

from app.extensions import db
from tests import scenario
from tests.factories import EmployerFactory, PostingFactory
from tests.web.conftest import login


def test_landing_page_is_chinese_by_default_with_a_switch_to_english(client, posting):
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "导游讲解员" in html
    assert 'href="/lang/en?next=/"' in html


def test_language_switch_sets_the_cookie_and_returns_to_the_page(client, posting):
    response = client.get("/lang/en?next=/listings?q=导游%26lang=zh_CN")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/listings")
    assert "lang=en" in response.headers["Set-Cookie"]
    html = client.get("/listings").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Listings" in html and "listing found" in html


def test_language_switch_refuses_other_sites(client):
    response = client.get("/lang/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_search_filters_by_keyword_district_and_kind(client, posting):
    PostingFactory(
        employer=posting.employer,
        title="见习会计",
        kind="traineeship",
        duration_months=6,
        district_code="500109",
        description="财务见习",
    )
    html = client.get("/listings?q=导游").get_data(as_text=True)
    assert "<mark>导游</mark>讲解员" in html and "见习会计" not in html
    html = client.get("/listings?kind=traineeship").get_data(as_text=True)
    assert "见习会计" in html and "导游讲解员" not in html
    html = client.get("/listings?district=500109").get_data(as_text=True)
    assert "见习会计" in html and "导游讲解员" not in html


def test_htmx_request_gets_only_the_results(client, posting):
    response = client.get("/listings?q=导游", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert "<mark>导游</mark>讲解员" in html
    assert "HX-Request" in response.headers["Vary"]


def test_full_page_keeps_the_filters_in_the_form(client, posting):
    html = client.get("/listings?q=导游&district=500156&kind=job&salary_min=3000").get_data(
        as_text=True
    )
    assert 'value="导游"' in html
    assert '<option value="500156" selected>' in html
    assert 'id="kind-job" name="kind" value="job" checked' in html
    assert 'value="3000"' in html


def test_bad_filter_is_explained_next_to_the_field_and_dropped(client, posting):
    response = client.get("/listings?occupation=abc&salary_min=-5")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="occupation-error"' in html and 'id="salary_min-error"' in html
    assert "导游讲解员" in html


def test_empty_search_offers_nearest_districts_and_occupations(client, posting):
    # 武隆 (500156) borders 彭水 and others; a search in 北碚 finds nothing, but 武隆 has the listing.
    html = client.get("/listings?q=导游&district=500109").get_data(as_text=True)
    assert "No listings match" not in html  # Chinese page
    assert "没有符合条件的岗位" in html
    assert "/listings?q=%E5%AF%BC%E6%B8%B8&amp;district=500156" in html
    html = client.get("/listings?occupation=4-04-05-01").get_data(as_text=True)
    assert "occupation=4-04-05-02" in html


def test_listing_detail_shows_salary_with_yuan_and_separators(client, posting):
    html = client.get(f"/listings/{posting.id}").get_data(as_text=True)
    assert "¥4,000" in html and "¥6,000" in html
    assert "登录后申请" in html


def test_hidden_posting_is_a_404_page_in_both_languages(client, employer_user):
    held = PostingFactory(employer=employer_user.employer, status="pending_review")
    response = client.get(f"/listings/{held.id}")
    assert response.status_code == 404
    assert "岗位不存在" in response.get_data(as_text=True)
    response = client.get(f"/listings/{held.id}?lang=en")
    html = response.get_data(as_text=True)
    assert "posting not found" in html and '<html lang="en">' in html


def test_unknown_page_is_a_designed_404(client):
    response = client.get("/nowhere", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_occupation_lookup_returns_options(client):
    html = client.get("/occupations/options?occupation_q=导游").get_data(as_text=True)
    assert "<option" in html


def test_occupation_lookup_offers_leaves_only(client):
    teaching = client.get("/occupations/options?occupation_q=2-08").get_data(as_text=True)
    assert "2-08-99-00" in teaching and "2-08-03-00" in teaching
    assert "2-08-02-00" not in teaching and "2-08-00-00" not in teaching


def test_vendor_assets_are_served_locally(client):
    for path in (
        "vendor/pico/pico.min.css",
        "vendor/htmx/htmx.min.js",
        "vendor/echarts/echarts.min.js",
        "vendor/redoc/redoc.standalone.js",
    ):
        response = client.get(f"/static/{path}")
        assert response.status_code == 200
        response.close()


def test_other_employers_postings_appear_with_employer_name(client):
    other = EmployerFactory(name="重庆北碚见习单位")
    PostingFactory(employer=other, title="行政助理")
    assert "重庆北碚见习单位" in client.get("/listings").get_data(as_text=True)


def test_listing_shows_address_hours_benefits_deadline_and_contact_for_members(
    client, posting, seeker_user
):
    posting.work_address = "仙女山街道 1 号"
    posting.work_hours = "9:00–17:30，双休"
    posting.benefits = ["social_insurance", "housing_fund", "meals"]
    posting.apply_by = dt.date.today() + dt.timedelta(days=10)
    posting.contact_name, posting.contact_phone = "王老师", "023-77001234"
    db.session.commit()
    html = client.get(f"/listings/{posting.id}").get_data(as_text=True)
    assert "仙女山街道 1 号" in html and "uri.amap.com/search?keyword=" in html
    assert "9:00–17:30，双休" in html and "五险一金" in html and "包吃" in html
    assert "申请截止" in html and 'href="#apply"' in html
    assert "023-77001234" not in html and "登录后可查看联系方式" in html
    login(client, seeker_user)
    assert "023-77001234" in client.get(f"/listings/{posting.id}").get_data(as_text=True)


def test_trainee_post_says_its_allowance_and_who_may_apply(client, ctx):
    program = scenario.program()
    post = scenario.posts(program, scenario.hosts(1))[0]
    html = client.get(f"/listings/{post.id}").get_data(as_text=True)
    assert "见习补贴" in html and "每月 ¥1,300" in html
    assert "离校2年内未就业高校毕业生" in html  # the program's eligibility rule, in words


def test_every_page_carries_a_script_policy_without_inline_code_and_no_framing(client, posting):
    for url in ("/", "/listings", f"/listings/{posting.id}", "/api/v1/docs", "/static/app.css"):
        with client.get(url) as response:
            headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert (
            "script-src 'self';" in policy and "unsafe-inline" not in policy.split("style-src")[0]
        )
        assert "frame-ancestors 'none'" in policy and headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in headers  # only once cookies are Secure (TLS)


def test_pages_with_personal_data_are_not_cached(client, seeker_user):
    assert client.get("/").headers.get("Cache-Control") != "no-store"
    login(client, seeker_user)
    assert client.get("/me/applications").headers["Cache-Control"] == "no-store"


def test_keyword_search_ranks_title_hits_first_highlights_them_and_offers_the_occupation(
    client, ctx
):
    now = dt.datetime.now(dt.UTC)
    for days, title, description in [
        (0, "前台接待", "接待来访客户，协助会计整理单据。"),
        (1, "仓库管理员", "负责出入库登记，配合会计盘点。"),
        (3, "财务会计助理", "负责凭证录入。"),
        (5, "会计", "负责日常核算。"),
        (9, "会计助理（见习）", "协助编制报表。"),
    ]:
        PostingFactory(
            title=title,
            description=description,
            occupation_code=None,
            search_text=f"{title} {description}",
            published_at=now - dt.timedelta(days=days),
        )
    db.session.commit()
    html = client.get("/listings?q=会计").get_data(as_text=True)
    order = [t for t in html.split('class="posting-card"')[1:]]
    titles = [card.split("</a></h3>")[0].rsplit('">', 1)[1] for card in order]
    # whole title, title start, inside the title, then description hits newest first
    assert titles == [
        "<mark>会计</mark>",
        "<mark>会计</mark>助理（见习）",
        "财务<mark>会计</mark>助理",
        "前台接待",
        "仓库管理员",
    ]
    assert '<option value="relevance" selected>' in html
    offers = html.split('class="occupation-offers"')[1].split("</p>")[0]
    assert "会计专业人员" in offers and "occupation=2-06-03-00" in offers
    newest = client.get("/listings?q=会计&sort=-published_at").get_data(as_text=True)
    assert newest.index("前台接待") < newest.index("财务<mark>会计</mark>助理")


def test_marked_terms_escape_the_title():
    from app.web.helpers import mark_terms

    assert (
        str(mark_terms("<b>会计</b> & co", "会计"))
        == "&lt;b&gt;<mark>会计</mark>&lt;/b&gt; &amp; co"
    )
    assert str(mark_terms("Python Developer", "python")) == "<mark>Python</mark> Developer"


def _statements_of(client, url: str) -> int:
    from sqlalchemy import event

    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    client.get(url)  # the process's reference lists are read once, before
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_a_listings_page_costs_the_same_queries_whatever_occupations_it_shows(client):
    employer = EmployerFactory()
    codes = ["4-04-05-02", "4-02-06-01", "2-06-01-01", "4-07-05-01", "6-18-01-01", "4-01-02-01"]
    PostingFactory(employer=employer, occupation_code=codes[0])
    few = _statements_of(client, "/listings")
    for code in codes[1:]:
        PostingFactory(employer=employer, occupation_code=code)
    many = _statements_of(client, "/listings")
    assert many == few <= 4
