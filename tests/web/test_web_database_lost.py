"""The database lost in the middle of a logged-in page: 503 with Retry-After, never a 500 (issue 23)."""

from unittest import mock

from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.services import seekers as seeker_service
from tests.web.conftest import login


def test_a_logged_in_page_answers_503_while_the_database_restarts(client, seeker_user):
    """The user was loaded, then the database went away: the rolled-back user is not reloaded."""
    login(client, seeker_user)
    down = []

    def refuse(*_args):
        if down:
            raise OperationalError(
                "SELECT", {}, ConnectionError("database system is shutting down")
            )

    def lose_the_database(_user):
        down.append(True)
        refuse()

    event.listen(db.engine, "before_cursor_execute", refuse)
    try:
        with mock.patch.object(seeker_service, "own_seeker", side_effect=lose_the_database):
            response = client.get("/me/profile")
    finally:
        event.remove(db.engine, "before_cursor_execute", refuse)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0


def test_a_page_done_as_the_database_restarts_is_sent(client, seeker_user):
    """The page is made, then ending its session fails on the dropped connection: the page is sent."""
    login(client, seeker_user)
    dialect = type(db.engine.dialect)
    dropped = db.engine.dialect.loaded_dbapi.OperationalError("terminating connection")
    with mock.patch.object(dialect, "do_rollback", side_effect=dropped):
        response = client.get("/me/profile")
    assert response.status_code == 200
