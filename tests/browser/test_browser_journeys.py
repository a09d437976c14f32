"""Three journeys in Chromium: a seeker applies, an employer fixes held wording, an office reviews."""

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.identifiers import id_check_char
from tests.browser.checks import shoot, usable

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "jianxi-demo"
_serial = itertools.count(1)


def new_id_number() -> str:
    """A valid ID number unlikely to clash with the demo data."""
    first17 = f"50015619990101{900 + next(_serial):03d}"
    return first17 + id_check_char(first17)


def login(page, username: str) -> None:
    """Log in through the form."""
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def post_discriminatory(page, title: str) -> None:
    """As the logged-in employer, write a posting whose wording the screening holds."""
    page.goto("/employer/postings/new")
    page.get_by_label("岗位名称").fill(title)
    page.get_by_label("岗位描述").fill("限男性，本地户口优先，负责接待来访客户。")
    page.get_by_label("职业（职业代码，选填）").fill("4-04-05-02")
    page.get_by_label("月薪下限（元）").fill("3500")
    page.get_by_label("月薪上限（元）").fill("4500")
    page.get_by_role("button", name="检查措辞并发布").click()
    page.wait_for_load_state()


WIDTHS = pytest.mark.parametrize("width", (375, 1280), ids=("phone", "desk"))


def accept_dialogs(page) -> list[str]:
    """Accept every confirmation the page asks for; the list of questions asked."""
    asked: list[str] = []

    def accept(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    return asked


@WIDTHS
def test_seeker_searches_saves_applies_withdraws_and_applies_again(open_page, shots, width):
    page = open_page(width)
    asked = accept_dialogs(page)
    page.goto("/listings")
    usable(page)
    first_card = page.locator("#results .posting-card").first.bounding_box()
    assert first_card["y"] < page.viewport_size["height"]  # a result on the first screen
    if page.get_by_text("筛选条件").is_visible():
        page.get_by_text("筛选条件").click()
    page.get_by_role("radio", name="见习", exact=True).check()
    page.wait_for_url(re.compile(r"kind=traineeship"))
    assert page.locator(".active-filters").inner_text().startswith("见习")
    shoot(page, shots / f"seeker-1-search-{width}px.png")
    first = page.locator("#results .posting-card h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    usable(page)
    shoot(page, shots / f"seeker-2-listing-{width}px.png")
    page.locator("#apply").get_by_role("button", name="注册").click()
    page.get_by_label("用户名").fill(f"browser_seeker_{width}_{next(_serial)}")
    page.get_by_label(re.compile("^密码")).fill("a-long-password-2023")
    page.get_by_label("姓名").fill("测试求职者")
    page.get_by_label("居民身份证号码").fill(new_id_number())
    page.get_by_label("学历").select_option("bachelor")
    usable(page)
    shoot(page, shots / f"seeker-3-register-{width}px.png")
    page.get_by_role("button", name="注册").last.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    listing = page.url

    for _ in range(2):  # the same search saved twice is kept once
        page.goto("/listings?kind=traineeship&q=会计")
        page.get_by_label("搜索名称").fill("会计见习")
        page.get_by_role("button", name="保存搜索").click()
        page.wait_for_url(re.compile(r"/me/searches$"))
    assert "已保存过此搜索" in page.locator(".flashes").inner_text()
    assert page.locator("main").get_by_text("会计见习", exact=True).count() == 1
    usable(page)

    page.goto(listing)
    page.get_by_role("button", name="申请", exact=True).click()
    page.wait_for_url(re.compile(r"/me/applications$"))
    assert (
        title in page.locator("main").inner_text() and "已申请" in page.locator("main").inner_text()
    )
    usable(page)
    shoot(page, shots / f"seeker-4-applications-{width}px.png")
    page.get_by_role("button", name="撤回").first.click()
    page.wait_for_load_state()
    assert asked == [f"撤回对“{title}”的申请？"]
    assert "申请已撤回" in page.locator(".flashes").inner_text()
    page.goto(listing)
    assert "可以重新申请" in page.locator("#apply").inner_text()
    page.get_by_role("button", name="申请", exact=True).click()
    page.wait_for_url(re.compile(r"/me/applications$"))
    assert "已申请" in page.locator("main").inner_text()
    usable(page)


@WIDTHS
def test_employer_sees_held_wording_fixes_it_and_publishes(open_page, shots, width):
    page = open_page(width)
    login(page, "wulong-employer")
    post_discriminatory(page, "前台接待员（浏览器测试）")
    assert "待审核" in page.locator("main").inner_text()
    assert page.locator("mark", has_text="限男性").count() >= 1
    usable(page)
    shoot(page, shots / f"employer-1-held-{width}px.png")
    page.get_by_role("button", name="采用建议表述进行修改").click()
    description = page.get_by_label("岗位描述").input_value()
    assert "性别不限" in description and "本地户口优先" not in description
    usable(page)
    shoot(page, shots / f"employer-2-suggestion-{width}px.png")
    page.get_by_role("button", name="检查措辞并发布").click()
    page.wait_for_load_state()
    assert "已发布" in page.locator("main").inner_text()
    shoot(page, shots / f"employer-3-published-{width}px.png")


@WIDTHS
def test_office_approves_a_held_posting_and_views_the_dashboard_in_both_languages(
    open_page, shots, width
):
    employer = open_page(width)
    login(employer, "wulong-employer")
    title = f"客房服务员（待审核 {width}）"
    post_discriminatory(employer, title)
    page = open_page(width, 900)
    login(page, "wulong-office")
    page.goto("/office/review")
    item = page.locator("article.review-item", has_text=title)
    assert item.locator("mark").count() >= 1
    usable(page)
    shoot(page, shots / f"office-1-review-{width}px.png")
    item.get_by_label("通过并发布").check()
    item.get_by_role("button", name="提交审核结果").click()
    page.wait_for_load_state()
    assert "岗位已审核通过并发布" in page.locator(".flashes").inner_text()
    page.goto("/office/")
    page.wait_for_selector("#quota-chart svg")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    usable(page)
    shoot(page, shots / f"office-2-dashboard-zh-{width}px.png")
    page.get_by_role("link", name="English").click()
    page.wait_for_selector("#quota-chart svg")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Dashboard")
    usable(page)
    shoot(page, shots / f"office-3-dashboard-en-{width}px.png")
    page.get_by_role("link", name="中文").click()
    page.wait_for_load_state()


@pytest.fixture(scope="module")
def rulebooks_loaded(live_server, tmp_path_factory) -> None:
    """Load the policy rulebooks into the served database (``flask seed demo`` does not)."""
    databases = sorted(Path(tmp_path_factory.getbasetemp()).glob("browser-db*/jianxi.db"))
    assert databases, "the browser database was not found"
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "policy", "load"],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **os.environ,
            "DATABASE_URL": f"sqlite:///{databases[-1]}",
            "PYTHONWARNINGS": "ignore",
        },
        check=True,
        capture_output=True,
    )


@WIDTHS
@pytest.mark.usefixtures("rulebooks_loaded")
def test_office_places_from_the_top_settles_reports_and_confirms_codes(open_page, shots, width):
    page = open_page(width)
    asked = accept_dialogs(page)
    login(page, "wulong-office")
    page.goto("/office/programs")
    page.get_by_role("link", name="安置").nth(0 if width == 375 else 1).click()
    page.wait_for_load_state()
    usable(page)
    shoot(page, shots / f"office-4-placement-{width}px.png")
    page.get_by_role("button", name="生成安置方案").click()
    page.wait_for_load_state()
    assert re.fullmatch(r"方案 #\d+", page.locator("h1").inner_text())
    decision = page.locator("section.decision").bounding_box()
    assert decision["y"] < page.locator("#placements-title").bounding_box()["y"]
    assert decision["y"] < page.viewport_size["height"]  # the decision is on the first screen
    usable(page)
    shoot(page, shots / f"office-5-proposal-{width}px.png")
    page.get_by_label("开始日期").fill("2023-11-01")
    page.get_by_role("button", name="确认并录入见习").click()
    page.wait_for_load_state()
    assert asked == ["将本次安置方案中的每一项都登记为见习？此操作不可撤销。"]
    assert page.locator("section.decision").count() == 0
    usable(page)

    page.get_by_role("link", name=re.compile("^← 安置")).click()
    page.get_by_role("link", name="本计划的补贴结算").click()
    page.wait_for_load_state()
    page.get_by_label("月份", exact=True).fill("2023-11")
    page.get_by_role("button", name="执行结算").click()
    page.wait_for_url(re.compile(r"month=2023-11"))
    assert "2023-11 补贴明细" in page.locator("main").inner_text()
    assert page.locator("table.hosts tbody tr").count() >= 1
    if page.locator("#retention-chart").count():
        page.wait_for_selector("#retention-chart svg")
    usable(page)
    shoot(page, shots / f"office-6-settlement-{width}px.png")
    page.goto("/office/traineeships")
    usable(page)

    page.goto("/office/reports/dispatch")
    periods = page.get_by_role("navigation", name="期间")
    periods.get_by_role("link", name=re.compile("^武隆区2023")).first.click()
    page.wait_for_selector("#graduates-chart svg")
    page.wait_for_selector("#flows-chart svg, #flows-chart.chart-empty")
    for empty in page.locator(".chart.chart-empty").all():
        assert empty.inner_text() == "暂无数据"  # an empty chart says so instead of bare axes
    assert page.get_by_role("button", name="下载 XLSX").is_visible()
    usable(page)
    shoot(page, shots / f"office-7-dispatch-{width}px.png")

    page.goto("/office/occupations?source=auto")
    usable(page)
    confirm_all = page.get_by_role("button", name=re.compile(r"^确认本页全部 \d+ 个代码$"))
    count = int(re.search(r"\d+", confirm_all.inner_text()).group())
    confirm_all.click()
    page.wait_for_load_state()
    assert asked[-1] == f"确认本页全部 {count} 个岗位的当前代码？"
    assert page.locator(".flashes").count() == 1
    usable(page)


def test_office_tables_become_cards_on_a_phone(open_page):
    page = open_page(375)
    login(page, "wulong-office")
    page.goto("/office/")
    status = page.locator("table.warnings tbody tr").first.locator("td").last
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # the status is on screen
    assert status.get_attribute("data-label") == "状态"
    for wrap in page.locator(".table-wrap.scrolls").all():
        assert wrap.get_attribute("tabindex") == "0"  # what still scrolls takes the keyboard
    usable(page)


def applicant_named(page, status: str, name: str):
    """The applicant card of a person in the employer's list of one status."""
    page.goto(f"/employer/applicants?status={status}")
    return page.locator("li.applicant", has=page.locator("strong", has_text=name)).first


@WIDTHS
def test_employer_reads_candidates_then_shortlists_invites_and_hires(open_page, shots, width):
    page = open_page(width, 900)
    asked = accept_dialogs(page)
    login(page, "wulong-employer")
    page.goto("/employer/?status=published")
    usable(page)
    page.locator("main a[href^='/employer/postings/'] strong").first.click()
    page.wait_for_load_state()
    usable(page)
    page.get_by_role("link", name="候选人排名").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "候选人排名"
    usable(page)
    shoot(page, shots / f"employer-4-candidates-{width}px.png")
    page.goto("/employer/applicants?status=applied")
    usable(page)
    name = page.locator("li.applicant strong").first.inner_text()
    applicant_named(page, "applied", name).get_by_role("button", name="入围").click()
    page.wait_for_load_state()
    card = applicant_named(page, "shortlisted", name)
    card.get_by_label("面试时间").fill("2023-12-01T10:00")
    card.get_by_label("面试地点").fill("武隆区芙蓉路 1 号")
    card.get_by_role("button", name="邀请面试").click()
    page.wait_for_load_state()
    assert asked == []  # shortlisting and inviting can be changed later: no question asked
    card = applicant_named(page, "invited", name)
    usable(page)
    shoot(page, shots / f"employer-5-invited-{width}px.png")
    if card.get_by_label("见习开始日期").count():  # a trainee post: the traineeship's first day
        card.get_by_label("见习开始日期").fill("2023-11-01")
    card.get_by_role("button", name="录用").click()
    page.wait_for_load_state()
    assert asked == [f"确定录用 {name}？"]  # hiring asks first
    # Hired, or (for a demo applicant the program's rules refuse) told so without their facts.
    assert page.locator(".flashes").inner_text() in (
        "申请状态已更新。",
        "此人不符合该见习计划的条件，可由就业服务机构告知本人原因",
    )
