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


def test_seeker_searches_registers_applies_and_sees_the_application(open_page, shots):
    page = open_page(375)
    page.goto("/listings")
    usable(page)
    first_card = page.locator("#results .posting-card").first.bounding_box()
    assert first_card["y"] < page.viewport_size["height"]  # a result on the first screen
    page.get_by_text("筛选条件").click()
    page.get_by_role("radio", name="见习", exact=True).check()
    page.wait_for_url(re.compile(r"kind=traineeship"))
    assert page.locator(".active-filters").inner_text().startswith("见习")
    shoot(page, shots / "seeker-1-search.png")
    first = page.locator("#results .posting-card h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    usable(page)
    shoot(page, shots / "seeker-2-listing.png")
    page.locator("#apply").get_by_role("button", name="注册").click()
    page.get_by_label("用户名").fill(f"browser_seeker_{next(_serial)}")
    page.get_by_label("密码（至少8位）").fill("a-long-password")
    page.get_by_label("姓名").fill("测试求职者")
    page.get_by_label("居民身份证号码").fill(new_id_number())
    page.get_by_label("学历").select_option("bachelor")
    usable(page)
    shoot(page, shots / "seeker-3-register.png")
    page.get_by_role("button", name="注册").last.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    page.get_by_role("button", name="申请", exact=True).click()
    page.wait_for_url(re.compile(r"/me/applications$"))
    assert title in page.locator("main").inner_text()
    assert "已申请" in page.locator("main").inner_text()
    usable(page)
    shoot(page, shots / "seeker-4-applications.png")


def test_employer_sees_held_wording_fixes_it_and_publishes(open_page, shots):
    page = open_page(375)
    login(page, "wulong-employer")
    post_discriminatory(page, "前台接待员（浏览器测试）")
    assert "待审核" in page.locator("main").inner_text()
    assert page.locator("mark", has_text="限男性").count() >= 1
    usable(page)
    shoot(page, shots / "employer-1-held.png")
    page.get_by_role("button", name="采用建议表述进行修改").click()
    description = page.get_by_label("岗位描述").input_value()
    assert "性别不限" in description and "本地户口优先" not in description
    usable(page)
    shoot(page, shots / "employer-2-suggestion.png")
    page.get_by_role("button", name="检查措辞并发布").click()
    page.wait_for_load_state()
    assert "已发布" in page.locator("main").inner_text()
    shoot(page, shots / "employer-3-published.png")


def test_office_approves_a_held_posting_and_views_the_dashboard_in_both_languages(open_page, shots):
    employer = open_page(375)
    login(employer, "wulong-employer")
    post_discriminatory(employer, "客房服务员（待审核）")
    page = open_page(1280, 900)
    login(page, "wulong-office")
    page.goto("/office/review")
    item = page.locator("article.review-item", has_text="客房服务员（待审核）")
    assert item.locator("mark").count() >= 1
    shoot(page, shots / "office-1-review.png")
    item.get_by_label("通过并发布").check()
    item.get_by_role("button", name="提交审核结果").click()
    page.wait_for_load_state()
    assert "岗位已审核通过并发布" in page.locator(".flashes").inner_text()
    page.goto("/office/")
    page.wait_for_selector("#quota-chart svg")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    shoot(page, shots / "office-2-dashboard-zh.png")
    page.get_by_role("link", name="English").click()
    page.wait_for_selector("#quota-chart svg")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Dashboard")
    shoot(page, shots / "office-3-dashboard-en.png")


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


@pytest.mark.usefixtures("rulebooks_loaded")
def test_office_opens_placement_and_settlement_pages_on_a_phone(open_page, shots):
    page = open_page(375)
    login(page, "wulong-office")
    page.goto("/office/programs")
    page.get_by_role("link", name="安置").first.click()
    page.wait_for_load_state()
    assert (
        page.get_by_label("方式").is_visible()
        and page.get_by_label("抽签种子（用于同分排序）").is_visible()
    )
    usable(page)
    shoot(page, shots / "office-4-placement.png")
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
    shoot(page, shots / "office-5-settlement.png")
    page.goto("/office/traineeships")
    usable(page)
    shoot(page, shots / "office-6-register.png")
    page.goto("/office/reports/dispatch?period=2023-11")
    page.wait_for_selector("#graduates-chart svg")
    page.wait_for_selector("#flows-chart svg, #flows-chart.chart-empty")
    for empty in page.locator(".chart.chart-empty").all():
        assert empty.inner_text() == "暂无数据"  # an empty chart says so instead of bare axes
    assert page.get_by_role("button", name="下载 XLSX").is_visible()
    usable(page)
    shoot(page, shots / "office-7-dispatch.png")


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


def test_employer_at_a_desk_reads_candidates_and_invites_an_applicant(open_page, shots):
    page = open_page(1280, 900)
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
    shoot(page, shots / "employer-4-candidates-1280px.png")
    page.goto("/employer/applicants?status=applied")
    usable(page)
    applicant = page.locator("li.applicant").first
    name = applicant.locator("strong").first.inner_text()
    applicant.get_by_label("面试时间").fill("2023-12-01T10:00")
    applicant.get_by_label("面试地点").fill("武隆区芙蓉路 1 号")
    applicant.get_by_role("button", name="邀请面试").click()
    page.wait_for_load_state()
    page.goto("/employer/applicants?status=invited")
    assert name in page.locator("main").inner_text()
    usable(page)
    shoot(page, shots / "employer-5-applicants-1280px.png")
