"""Issue 23: a district's exposure-capped lists are made once for the service, not in every process.

With Redis they are kept there; out-of-date lists are used while one refresh runs on the
worker. Without Redis (or while it is down) the process makes and keeps them itself.
"""

import pytest
from rq import Queue

from app.extensions import db
from app.jobs import background_name
from app.services import exposure
from tests.factories import PostingFactory, SeekerFactory
from tests.workers import InProcessWorker


@pytest.fixture
def district_posts(hosts):
    """Four open posts in one district and 20 seekers who fit them."""
    posts = [
        PostingFactory(
            employer=hosts[0],
            kind="job",
            title=f"软件测试员{n}",
            occupation_code="4-04-05-02",
            skills=["Python", "SQL"],
            description="软件测试 Python SQL",
        )
        for n in range(4)
    ]
    for n in range(20):
        SeekerFactory(desired_occupations=["4-04-05-02"], skills=["Python"], summary=f"测试 {n}")
    return posts


@pytest.fixture
def makes(monkeypatch):
    """Every district whose lists are made, in order (the real function runs)."""
    made = []
    real = exposure._make

    def counted(district):
        made.append(district)
        return real(district)

    monkeypatch.setattr(exposure, "_make", counted)
    return made


def _exposure(client, posting, headers) -> dict:
    response = client.get(f"/api/v1/postings/{posting.id}/candidates?k=10", headers=headers)
    assert response.status_code == 200, response.json
    return response.json["exposure"]


def _another_process(app) -> None:
    """Forget what this process keeps, as a second gunicorn worker would not have it."""
    app.extensions.pop("jianxi.exposure", None)


@pytest.mark.redis
def test_lists_are_made_once_for_every_process(
    app, client, district_posts, as_host, makes, redis_queue
):
    first = _exposure(client, district_posts[0], as_host)
    _another_process(app)
    second = _exposure(client, district_posts[1], as_host)
    assert makes == [district_posts[0].district_code]
    assert first["lists_made_at"] == second["lists_made_at"] is not None
    stored = redis_queue.connection.get(
        f"jianxi:{redis_queue.name}:exposure:{district_posts[0].district_code}"
    )
    assert {str(p.id) for p in district_posts} == set(
        exposure.DistrictLists.from_json(stored).lists
    )


@pytest.fixture
def upkeep(redis_queue):
    """The upkeep queue beside the test queue, where refreshes go."""
    queue = Queue(background_name(redis_queue.name), connection=redis_queue.connection)
    yield queue
    queue.delete(delete_jobs=True)


@pytest.fixture
def worker(redis_queue, upkeep):
    """A worker on the test queues, alive as far as the pages can tell; ``work()`` runs its jobs."""
    alive = InProcessWorker([redis_queue, upkeep], connection=redis_queue.connection)
    alive.register_birth()

    def work() -> None:
        alive.register_death()
        assert alive.work(burst=True)
        alive.register_birth()

    yield work
    alive.register_death()


@pytest.mark.redis
def test_out_of_date_lists_are_used_while_one_refresh_runs_on_the_worker(
    app, client, ctx, hosts, district_posts, as_host, makes, upkeep, worker
):
    _exposure(client, district_posts[0], as_host)
    worker()
    before = _exposure(client, district_posts[0], as_host)
    assert before["lists_made_at"] and len(makes) == 1 and len(upkeep) == 0
    new = PostingFactory(employer=hosts[0], kind="job", title="测试工程师", description="软件测试")
    db.session.commit()
    for _ in range(2):
        _another_process(app)
        assert _exposure(client, district_posts[0], as_host) == before
    assert len(upkeep) == 1 and len(makes) == 1
    worker()
    assert len(makes) == 2
    _another_process(app)
    after = _exposure(client, new, as_host)
    assert after["lists_made_at"] >= before["lists_made_at"] and len(makes) == 2
    assert len(upkeep) == 0
    assert str(new.id) in exposure.district_lists(new.district_code).lists


@pytest.mark.redis
def test_a_district_without_lists_is_shown_uncapped_while_the_worker_makes_them(
    client, district_posts, as_host, makes, upkeep, worker
):
    """No web process spends seconds on a district's first lists while a worker can."""
    first = _exposure(client, district_posts[0], as_host)
    assert first == {
        "max_lists": 3,
        "held_elsewhere": 0,
        "lists_made_at": None,
        "preparing": True,
    }
    assert makes == [] and len(upkeep) == 1
    page = client.get(f"/employer/postings/{district_posts[0].id}/candidates", headers=as_host)
    assert "曝光上限名单" in page.get_data(as_text=True) and len(upkeep) == 1
    worker()
    done = _exposure(client, district_posts[0], as_host)
    assert done["lists_made_at"] and not done["preparing"] and len(makes) == 1


def test_without_redis_the_process_makes_them_again_when_the_posts_change(
    client, ctx, hosts, district_posts, as_host, makes
):
    first = _exposure(client, district_posts[0], as_host)
    assert _exposure(client, district_posts[1], as_host)["lists_made_at"] == first["lists_made_at"]
    PostingFactory(employer=hosts[0], kind="job", title="测试工程师", description="软件测试")
    db.session.commit()
    _exposure(client, district_posts[0], as_host)
    assert len(makes) == 2


def test_while_redis_is_down_the_process_makes_its_own(
    app, client, district_posts, as_host, makes, monkeypatch
):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    found = _exposure(client, district_posts[0], as_host)
    assert found["lists_made_at"] and makes == [district_posts[0].district_code]
    again = _exposure(client, district_posts[1], as_host)
    assert again["lists_made_at"] == found["lists_made_at"] and len(makes) == 1
