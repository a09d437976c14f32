"""TOTP second factor of office and admin staff (ASVS V2.8, RFC 6238 with pyotp).

A code is accepted for the current 30-second step and one step either side (clock drift), and
never twice: the accepted step is stored on the account with a conditional update, so two
processes cannot both accept the same code. The secret is stored sealed (app/sealing.py).
"""

import hmac
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import or_, update

from app.errors import NotFound, RuleViolation
from app.extensions import db
from app.models import User
from app.sealing import seal, unseal
from app.services.common import commit, security_event

ISSUER = "Jianxi 见习"
STAFF = ("office", "admin")
STEP_SECONDS = 30


def is_staff(user: User) -> bool:
    """Office and admin accounts are the ones with a second factor."""
    return user.role in STAFF


def enrolled(user: User) -> bool:
    """Whether the user has a TOTP second factor that login must ask for."""
    return is_staff(user) and bool(user.totp_secret)


def must_enrol(user: User) -> bool:
    """Whether a staff user has to enrol before using office pages or tokens (STAFF_TOTP_REQUIRED)."""
    return current_app.config["STAFF_TOTP_REQUIRED"] and is_staff(user) and not user.totp_secret


def new_secret() -> str:
    """A fresh random base32 secret."""
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` URI an authenticator app takes."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code, rendered on the server."""
    return segno.make(uri, error="m").svg_inline(scale=4)


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (within one step of now) whose code this is, or None."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _use_step(user: User, step: int) -> bool:
    """Record the step as used unless it (or a later one) already was; True if it was new."""
    used = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .where(or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(user, ["totp_last_step"])
    return bool(used)


def check_code(user: User, code: str | None) -> bool:
    """Whether the code is the user's current one and has not been used before."""
    step = matching_step(unseal(user.totp_secret), code or "")
    return step is not None and _use_step(user, step)


def enrol(user: User, secret: str, code: str) -> None:
    """Turn the second factor on once the first code from the new secret is right."""
    step = matching_step(secret, code)
    if step is None:
        raise RuleViolation(
            "验证码不对，请核对手机时间后重试 / the code is wrong: check the phone's clock and retry",
            field="code",
        )
    user.totp_secret = seal(secret)
    user.totp_last_step = step
    security_event(user, "totp_enrolled")
    commit(what="enrol totp")


def reset(actor: User, user_id: int) -> User:
    """Remove a staff member's second factor (lost phone): they enrol again at the next login."""
    user = db.session.get(User, user_id)
    if user is None or not is_staff(user):
        raise NotFound("没有这个工作人员账号 / no such staff account")
    user.totp_secret = None
    user.totp_last_step = None
    security_event(actor, "totp_reset", {"user_id": user.id, "username": user.username})
    commit(what="reset totp")
    return user
