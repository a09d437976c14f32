"""Every message of the pages is translated in both catalogs; CSRF protects every form."""

from pathlib import Path

from babel.dates import format_date
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from app.web.helpers import LOCAL_TZ

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
METHODS = [("app/web/**.py", "python"), ("app/web/templates/**.html", "jinja2")]


def extracted() -> set[str | tuple[str, ...]]:
    """Message ids found in the page sources."""
    ids: set = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS
    ):
        ids.add(message if isinstance(message, str) else tuple(message))
    return ids


def catalog(locale: str) -> dict:
    """Translated strings of one compiled-from catalog, by message id."""
    with open(ROOT / "app" / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        cat = read_po(fh, locale=locale)
    return {m.id if isinstance(m.id, str) else tuple(m.id): m for m in cat if m.id}


def test_every_message_is_translated_in_both_catalogs():
    messages = extracted()
    assert len(messages) > 200
    for locale in ("zh_CN", "en"):
        entries = catalog(locale)
        missing = [
            m
            for m in messages
            if m not in entries
            or not all(
                entries[m].string if isinstance(entries[m].string, tuple) else [entries[m].string]
            )
            or entries[m].fuzzy
        ]
        assert missing == [], f"{locale}: {missing}"


def test_compiled_catalogs_are_committed_and_newer_than_sources():
    for locale in ("zh_CN", "en"):
        po = ROOT / "app" / "translations" / locale / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        assert mo.exists() and mo.stat().st_size > 1000


def test_both_languages_render_the_same_page(client):
    zh = client.get("/login").get_data(as_text=True)
    en = client.get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="zh-CN">' in zh and "登录" in zh
    assert '<html lang="en">' in en and "Log in" in en and "登录" not in en.replace("中文", "")


def test_browser_language_is_used_without_a_choice(client):
    html = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in html


def test_dates_and_money_follow_the_locale(client, posting):
    zh = client.get(f"/listings/{posting.id}").get_data(as_text=True)
    en = client.get(f"/listings/{posting.id}?lang=en").get_data(as_text=True)
    assert "¥4,000" in zh and "¥4,000" in en
    published = posting.published_at.astimezone(LOCAL_TZ).date()
    assert format_date(published, "medium", locale="zh_CN") in zh
    assert format_date(published, "medium", locale="en") in en


def test_a_post_without_csrf_token_is_refused(csrf_client):
    response = csrf_client.post("/login", data={"username": "someone", "password": "whatever"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    page = csrf_client.get("/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page
