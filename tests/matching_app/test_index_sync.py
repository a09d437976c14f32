"""A process's ranking indexes: built once however many threads ask, deleted rows leave them."""

import threading

from app.extensions import db
from app.services import recommendations
from matching.index import SeekerIndex
from tests.factories import SeekerFactory


def test_two_threads_asking_at_once_build_the_index_once(app, ctx, monkeypatch):
    SeekerFactory.create_batch(30)
    builds = []
    real_build = SeekerIndex.build.__func__

    def counted(cls, profiles, *args, **kwargs):
        builds.append(len(profiles))
        return real_build(cls, profiles, *args, **kwargs)

    monkeypatch.setattr(SeekerIndex, "build", classmethod(counted))
    start = threading.Barrier(2)
    found, errors = [], []

    def ask() -> None:
        try:
            with app.app_context():
                start.wait()
                found.append(recommendations.seeker_index())
                db.session.remove()
        except Exception as exc:  # reported below, not swallowed
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert builds == [30]
    assert found[0] is found[1]


def test_a_deleted_seeker_leaves_the_index(app, ctx, monkeypatch):
    kept, erased = SeekerFactory(), SeekerFactory()
    index = recommendations.seeker_index()
    assert str(erased.id) in index
    erased_id = erased.id
    db.session.delete(erased)
    db.session.commit()

    monkeypatch.setitem(app.config, "INDEX_PRUNE_SECONDS", 3600)
    assert str(erased_id) in recommendations.seeker_index()  # not yet: checked once an hour

    monkeypatch.setitem(app.config, "INDEX_PRUNE_SECONDS", 0)
    index = recommendations.seeker_index()
    assert str(erased_id) not in index
    assert str(kept.id) in index
