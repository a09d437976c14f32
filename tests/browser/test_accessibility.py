"""Every page of the three audiences at a phone's and a desk's width: no script error, no
horizontal scroll, no serious or critical accessibility violation."""

import pytest

from tests.browser.checks import axe_violations, no_horizontal_scroll
from tests.browser.test_browser_journeys import login

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
PAGES = {
    None: [
        "/",
        "/listings",
        "/listings?q=会计",
        "/login",
        "/register/seeker",
        "/register/employer",
        "/rules/screening",
        "/privacy",
    ],
    "wulong-seeker": [
        "/me/profile",
        "/me/recommended",
        "/me/applications",
        "/me/traineeship",
        "/me/favourites",
        "/me/searches",
        "/me/notifications",
        "/account/password",
        "/me/data",
        "/me/delete",
    ],
    "wulong-employer": [
        "/employer/",
        "/employer/profile",
        "/employer/postings/new",
        "/employer/applicants",
        "/employer/traineeships",
        "/employer/employments",
    ],
    "wulong-office": [
        "/office/",
        "/office/review",
        "/office/programs",
        "/office/employers",
        "/office/seekers",
        "/office/traineeships",
        "/office/employments",
        "/office/occupations",
        "/office/policy-finder",
        "/office/services",
        "/office/reports/dispatch?period=2023-11",
        "/office/reports/fairness",
        "/office/reports/match",
        "/office/audit",
    ],
}


def first_link(page, pattern: str) -> str | None:
    """The href of the first link on the page matching a CSS attribute pattern."""
    link = page.locator(f"main a[href{pattern}]").first
    return link.get_attribute("href") if link.count() else None


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("user", list(PAGES), ids=lambda u: u or "anonymous")
def test_pages_are_accessible_and_fit_the_screen(open_page, user, width):
    page = open_page(width, 900)
    if user:
        login(page, user)
    paths = list(PAGES[user])
    if user is None:
        page.goto("/listings")
        paths.append(first_link(page, '^="/listings/"'))
    if user == "wulong-employer":
        page.goto("/employer/")
        paths.append(first_link(page, '^="/employer/postings/"'))
    problems = []
    for path in filter(None, paths):
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        try:
            no_horizontal_scroll(page)
        except AssertionError as error:
            problems.append(str(error))
        problems += axe_violations(page)
    assert problems == []
