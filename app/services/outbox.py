"""The outbox: messages to seekers and users, delivered by the channel ``NOTIFY_CHANNEL`` names.

Channels: ``console`` and ``file`` for development, ``email`` (SMTP with the ``MAIL_*``
settings), ``sms`` (a JSON POST to the gateway at ``NOTIFY_SMS_URL``) and ``memory`` (kept in
the app, for tests). Delivery is idempotent: a message is claimed with a conditional UPDATE
before it is sent, so two runs at once never send it twice, and a sent message is never sent
again. A failure is counted and retried on the next run until ``NOTIFY_MAX_ATTEMPTS``.
"""

import json
import smtplib
import sys
import urllib.request
from email.message import EmailMessage
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from app.errors import RuleViolation
from app.extensions import db
from app.models import OutboxMessage, Seeker, User
from app.models.base import utcnow
from app.services.common import commit

DELIVERY_ERRORS = (OSError, smtplib.SMTPException, ValueError)


def _email_address(message: OutboxMessage) -> str | None:
    user = db.session.get(User, message.user_id) if message.user_id else None
    return user.email if user is not None and user.email else None


def _phone(message: OutboxMessage) -> str | None:
    seeker = db.session.get(Seeker, message.seeker_id) if message.seeker_id else None
    return seeker.phone if seeker is not None and seeker.phone else None


def _any_address(message: OutboxMessage) -> str:
    account = f"user:{message.user_id}" if message.user_id else f"seeker:{message.seeker_id}"
    return _email_address(message) or _phone(message) or account


def _send_console(message: OutboxMessage, address: str) -> None:
    sys.stdout.write(f"[{message.kind}] to {address}: {message.subject}\n{message.body}\n\n")
    sys.stdout.flush()


def _send_file(message: OutboxMessage, address: str) -> None:
    path = Path(current_app.config["NOTIFY_FILE"])
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "id": message.id,
        "kind": message.kind,
        "to": address,
        "subject": message.subject,
        "body": message.body,
        "at": utcnow().isoformat(),
    }
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _send_email(message: OutboxMessage, address: str) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        raise ValueError("MAIL_SERVER is not set")
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = config.get("MAIL_DEFAULT_SENDER") or "jianxi@localhost"
    mail["To"] = address
    mail.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(mail)


def _send_sms(message: OutboxMessage, address: str) -> None:
    config = current_app.config
    url = config.get("NOTIFY_SMS_URL")
    if not url:
        raise ValueError("NOTIFY_SMS_URL is not set")
    headers = {"Content-Type": "application/json"}
    if config.get("NOTIFY_SMS_TOKEN"):
        headers["Authorization"] = f"Bearer {config['NOTIFY_SMS_TOKEN']}"
    data = json.dumps({"to": address, "text": message.body}, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        if not 200 <= response.status < 300:
            raise OSError(f"SMS gateway answered {response.status}")


def _send_memory(message: OutboxMessage, address: str) -> None:
    sent_box(current_app).append(
        {"id": message.id, "kind": message.kind, "to": address, "body": message.body}
    )


def sent_box(app) -> list[dict]:
    """What the ``memory`` channel delivered in this app (tests read it)."""
    return app.extensions.setdefault("jianxi.outbox.memory", [])


# channel → (address of a message on it, sender)
CHANNELS = {
    "console": (_any_address, _send_console),
    "file": (_any_address, _send_file),
    "email": (_email_address, _send_email),
    "sms": (_phone, _send_sms),
    "memory": (_any_address, _send_memory),
}


def _channel(name: str | None = None):
    name = name or current_app.config.get("NOTIFY_CHANNEL") or "console"
    if name not in CHANNELS:
        raise RuleViolation(
            f"未知通知渠道 {name} / unknown notification channel {name}", field="NOTIFY_CHANNEL"
        )
    return name, CHANNELS[name]


def _claim(message: OutboxMessage) -> bool:
    """Count an attempt on a pending message, unless another run took it first."""
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status == "pending",
            OutboxMessage.attempts == message.attempts,
        )
        .values(attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    commit(what="claim outbox message")
    db.session.refresh(message)
    return claimed == 1


def deliver(limit: int | None = None, channel: str | None = None) -> dict[str, int]:
    """Send every pending message through the channel; count sent, skipped (no address), failed and retried."""
    name, (address_of, send) = _channel(channel)
    most = int(current_app.config.get("NOTIFY_MAX_ATTEMPTS", 5))
    counts = {"sent": 0, "skipped": 0, "retry": 0, "failed": 0}
    stmt = (
        select(OutboxMessage.id).where(OutboxMessage.status == "pending").order_by(OutboxMessage.id)
    )
    ids = list(db.session.scalars(stmt.limit(limit) if limit else stmt))
    for message_id in ids:
        message = db.session.get(OutboxMessage, message_id)
        if message is None or message.status != "pending" or not _claim(message):
            continue
        message.channel = name
        address = address_of(message)
        if address is None:
            message.status = "skipped"
            message.last_error = f"no address on channel {name}"
            counts["skipped"] += 1
        else:
            message.address = address
            try:
                send(message, address)
            except DELIVERY_ERRORS as err:
                message.last_error = f"{type(err).__name__}: {err}"[:1000]
                failed = message.attempts >= most
                message.status = "failed" if failed else "pending"
                counts["failed" if failed else "retry"] += 1
            else:
                message.status = "sent"
                message.sent_at = utcnow()
                message.last_error = None
                counts["sent"] += 1
        commit(what="deliver outbox message")
    return counts


def deliver_job() -> None:
    """RQ entry point: deliver the pending outbox with the configured channel."""
    deliver()
