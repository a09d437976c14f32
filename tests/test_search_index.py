"""The token index finds exactly what the plain LIKE scan finds, and follows writes and deletes."""

import random

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from app.models import Posting
from app.services.postings import create_posting, list_postings, update_posting
from app.services.search import plain_condition, search_condition
from matching.text import normalize
from tests.factories import EmployerFactory, PostingFactory, UserFactory

WORDS = [
    "保安",
    "保安员",
    "物业",
    "巡逻",
    "护士",
    "护理",
    "社区护士",
    "软件",
    "软件测试",
    "测试员",
    "工程师",
    "会计",
    "出纳",
    "厨师",
    "中式烹调",
    "销售",
    "电工",
    "司机",
    "安全员",
    "员工",
    "Python",
    "SQL",
    "MySQL",
    "Excel",
    "security",
    "guard",
    "nurse",
    "C++",
    "C#",
    "3D",
    "CAD",
    "5G",
    "Ｏｆｆｉｃｅ",
    "（见习）",
    "，",
    "。",
    "·",
    "/",
    "-",
]

QUERIES = [
    "保安",
    "护士",
    "软件",
    "员工",
    "安员",  # two characters
    "保安员",
    "软件测试",
    "中式烹调",
    "社区护士",
    "安全员工",  # three and four
    "python",
    "sql",
    "SECURITY",
    "guard",
    "excel",
    "ql",  # English, mid-word too
    "保安 security",
    "python 工程师",
    "护士 社区",
    "3d cad",  # mixed, several terms
    "c++",
    "c#",
    "（见习）",
    "ｏｆｆｉｃｅ",
    "，",
    "员-",
    "5g",  # punctuation, full width
    "保",
    "厨",
    "c",
    "g",
    "员",  # one character
    "不存在的词",
    "zzz",
]


def _ids(condition) -> list[int]:
    return list(db.session.scalars(select(Posting.id).where(condition).order_by(Posting.id)))


@pytest.fixture
def corpus(ctx):
    """Three hundred postings of random words from the vocabulary."""
    rng = random.Random(7)
    employer = EmployerFactory()
    for _ in range(300):
        title = "".join(rng.choices(WORDS, k=rng.randint(1, 3)))
        description = " ".join("".join(rng.choices(WORDS, k=rng.randint(1, 3))) for _ in range(4))
        db.session.add(
            Posting(
                employer=employer,
                kind="job",
                title=title[:120],
                description=description,
                salary_min=3000,
                salary_max=5000,
                district_code="500156",
                status="published",
                search_text=normalize(f"{title} {description}"),
            )
        )
    db.session.commit()
    return employer


@pytest.mark.parametrize("query", QUERIES)
def test_index_finds_exactly_what_the_scan_finds(corpus, query):
    found = _ids(search_condition(query))
    assert found == _ids(plain_condition(query))


def test_common_queries_find_something(corpus):
    assert all(_ids(search_condition(q)) for q in ["保安", "保安员", "python", "c++", "保", "c"])


def test_listing_keeps_filters_and_newest_first(ctx):
    employer = EmployerFactory()
    older = PostingFactory(employer=employer, title="保安员", description="小区巡逻")
    newer = PostingFactory(employer=employer, title="保安队长", description="物业安保")
    PostingFactory(employer=employer, title="保安员", district_code="500109")
    PostingFactory(employer=employer, title="护士", description="社区医院")
    items, total = list_postings(None, {"q": "保安", "district": "500156"}, 1, 20)
    assert [p.id for p in items] == [newer.id, older.id] and total == 2


def test_api_search_uses_the_index(client, ctx):
    PostingFactory(title="社区护士", description="Nurse for the community clinic")
    PostingFactory(title="保安员", description="security guard")
    assert [p["title"] for p in client.get("/api/v1/postings?q=护士").json] == ["社区护士"]
    assert [p["title"] for p in client.get("/api/v1/postings?q=NURSE").json] == ["社区护士"]
    assert [p["title"] for p in client.get("/api/v1/postings?q=士").json] == ["社区护士"]


def test_an_edit_is_found_under_its_new_words_only(ctx):
    admin = UserFactory(role="admin")
    employer = EmployerFactory()
    posting = create_posting(
        admin,
        {
            "employer_id": employer.id,
            "kind": "job",
            "title": "仓库管理员",
            "description": "负责出入库登记",
            "occupation_code": "4-02-06-01",
            "salary_min": 3500,
            "salary_max": 4500,
            "district_code": "500156",
        },
    )
    assert _ids(search_condition("仓库")) == [posting.id]
    update_posting(admin, posting.id, {"title": "叉车司机", "description": "驾驶叉车 forklift"})
    assert _ids(search_condition("仓库")) == []
    assert _ids(search_condition("叉车 forklift")) == [posting.id]


def test_a_deleted_posting_disappears(ctx):
    kept = PostingFactory(title="电工", description="维修电路")
    gone = PostingFactory(employer=kept.employer, title="电工学徒", description="跟师傅学习")
    assert _ids(search_condition("电工")) == [kept.id, gone.id]
    db.session.delete(gone)
    db.session.commit()
    assert _ids(search_condition("电工")) == [kept.id]
    db.session.execute(delete(Posting))
    db.session.commit()
    assert _ids(search_condition("电工")) == []
