"""The outbox: each message delivered once by the configured channel, failures counted and retried."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.services import notices
from app.services.outbox import deliver, sent_box
from tests.factories import SeekerFactory, UserFactory


@pytest.fixture
def messages(ctx):
    """Three messages: a seeker with an account and a phone, one with only a phone, one with neither."""
    user = UserFactory(role="seeker", email="li@example.cn")
    with_account = SeekerFactory(user_id=user.id, phone="13800138000")
    phone_only = SeekerFactory(phone="13900139000")
    nothing = SeekerFactory(phone=None)
    for seeker in (with_account, phone_only, nothing):
        notices.notify_seeker(seeker, "application", "您有新消息", "You have news.")
    db.session.commit()
    return with_account, phone_only, nothing


def statuses() -> list[tuple[str, int]]:
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    return [(m.status, m.attempts) for m in rows]


def test_memory_channel_delivers_each_message_once(app, messages):
    assert deliver() == {"sent": 3, "skipped": 0, "retry": 0, "failed": 0}
    assert [m["to"] for m in sent_box(app)] == [
        "li@example.cn",
        "13900139000",
        f"seeker:{messages[2].id}",
    ]
    assert sent_box(app)[0]["body"] == "您有新消息\nYou have news."
    assert deliver() == {"sent": 0, "skipped": 0, "retry": 0, "failed": 0}
    assert len(sent_box(app)) == 3 and statuses() == [("sent", 1)] * 3


class _Gateway(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Gateway.received.append({"auth": self.headers.get("Authorization"), **body})
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        """Quiet."""


@pytest.fixture
def gateway():
    """A real HTTP endpoint standing in for the SMS gateway."""
    _Gateway.received = []
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()
    server.server_close()


def test_sms_channel_posts_to_the_gateway_and_skips_who_has_no_phone(
    app, monkeypatch, messages, gateway
):
    monkeypatch.setitem(app.config, "NOTIFY_CHANNEL", "sms")
    monkeypatch.setitem(app.config, "NOTIFY_SMS_URL", gateway)
    monkeypatch.setitem(app.config, "NOTIFY_SMS_TOKEN", "t0ken")
    assert deliver() == {"sent": 2, "skipped": 1, "retry": 0, "failed": 0}
    assert [r["to"] for r in _Gateway.received] == ["13800138000", "13900139000"]
    assert _Gateway.received[0]["auth"] == "Bearer t0ken"
    assert _Gateway.received[0]["text"] == "您有新消息\nYou have news."
    assert [s for s, _ in statuses()] == ["sent", "sent", "skipped"]


def test_a_failing_channel_is_retried_then_marked_failed(app, monkeypatch, messages):
    monkeypatch.setitem(app.config, "NOTIFY_CHANNEL", "sms")
    monkeypatch.setitem(app.config, "NOTIFY_SMS_URL", "http://127.0.0.1:9/send")  # nothing listens
    monkeypatch.setitem(app.config, "NOTIFY_MAX_ATTEMPTS", 2)
    assert deliver() == {"sent": 0, "skipped": 1, "retry": 2, "failed": 0}
    assert statuses() == [("pending", 1), ("pending", 1), ("skipped", 1)]
    assert "Error" in db.session.scalars(select(OutboxMessage.last_error)).first()
    assert deliver() == {"sent": 0, "skipped": 0, "retry": 0, "failed": 2}
    assert statuses() == [("failed", 2), ("failed", 2), ("skipped", 1)]
    monkeypatch.setitem(app.config, "NOTIFY_CHANNEL", "memory")
    assert deliver()["sent"] == 0  # a failed message stays failed


def test_file_channel_and_cli(app, monkeypatch, messages, tmp_path):
    out = tmp_path / "outbox.jsonl"
    monkeypatch.setitem(app.config, "NOTIFY_CHANNEL", "file")
    monkeypatch.setitem(app.config, "NOTIFY_FILE", str(out))
    result = app.test_cli_runner().invoke(args=["notify", "deliver", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "sent: 2, skipped (no address): 0" in result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["to"] for line in lines] == ["li@example.cn", "13900139000"]
    again = app.test_cli_runner().invoke(args=["notify", "deliver"])
    assert "sent: 1," in again.output and len(out.read_text().splitlines()) == 3


def test_email_channel_without_a_server_is_a_counted_failure(app, monkeypatch, messages):
    monkeypatch.setitem(app.config, "NOTIFY_CHANNEL", "email")
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    assert deliver() == {"sent": 0, "skipped": 2, "retry": 1, "failed": 0}
    errors = db.session.scalars(select(OutboxMessage.last_error)).all()
    assert any("MAIL_SERVER" in (error or "") for error in errors)  # the one with an address


def test_an_unknown_channel_is_refused(app, monkeypatch, messages):
    monkeypatch.setitem(app.config, "NOTIFY_CHANNEL", "pigeon")
    result = app.test_cli_runner().invoke(args=["notify", "deliver"])
    assert result.exit_code != 0 and statuses() == [("pending", 0)] * 3
