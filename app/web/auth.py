"""Login (with the staff's TOTP step), logout, registration, password change, TOTP enrolment and
the language switch."""

import time

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from app.errors import Forbidden, RuleViolation, TooManyRequests, Unauthorized
from app.extensions import db, limiter
from app.models import User
from app.schemas.employer import EmployerRegisterSchema
from app.schemas.seeker import SeekerRegisterSchema
from app.sealing import seal, unseal
from app.services import employers as employer_service
from app.services import login_throttle
from app.services import seekers as seeker_service
from app.services import totp as totp_service
from app.services import users as user_service
from app.web.forms import (
    EmployerRegisterForm,
    LoginForm,
    PasswordForm,
    SeekerRegisterForm,
    TotpForm,
)
from app.web.helpers import (
    SIZE_LABELS,
    attach_errors,
    call_service,
    district_choices,
    education_choices,
    load_with,
    me,
    role_required,
    safe_next,
    without_lang,
)

bp = Blueprint("account", __name__)

PENDING = "totp_pending"  # session key: the staff user between password and code
PENDING_SECONDS = 300
NEW_SECRET = "totp_new_secret"  # session key: the secret shown until its first code confirms it


def home_for(role: str) -> str:
    """Where a user lands after logging in."""
    return {
        "seeker": url_for("seeker.applications"),
        "employer": url_for("employer.home"),
        "office": url_for("office.dashboard"),
        "admin": url_for("office.dashboard"),
    }.get(role, url_for("public.index"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    """Log in with username and password."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        username = form.username.data.strip()
        try:
            user = user_service.check_password(username, form.password.data)
        except Unauthorized as err:
            attach_errors(form, {"password": [err.message]})
        except TooManyRequests as err:
            attach_errors(form, err.errors)
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(err.retry_after)}
        else:
            target = safe_next(form.next.data, home_for(user.role))
            if totp_service.enrolled(user):
                session[PENDING] = {
                    "uid": user.id,
                    "v": user.token_version,
                    "at": time.time(),
                    "remember": bool(form.remember.data),
                    "next": target,
                }
                return redirect(url_for("account.login_code"))
            return _log_in(username, user, bool(form.remember.data), target)
    return render_template(
        "auth/login.html", form=form
    ), 422 if form.errors or form.form_errors else 200


def _log_in(username: str, user, remember: bool, target: str):
    """Finish a login: audit it, start the session and go on."""
    user_service.finish_login(username, user)
    login_user(user, remember=remember)
    session["remember"] = remember
    return redirect(target)


def _pending_user():
    """The staff user whose password was right in the last few minutes, waiting for the code."""
    pending = session.get(PENDING) or {}
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, pending
    user = db.session.get(User, pending.get("uid", 0))
    if user is None or not user.active or user.token_version != pending.get("v"):
        return None, pending
    return user, pending


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login_code():
    """The second step of a staff login: the authenticator app's code."""
    user, pending = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        return redirect(url_for("account.login"))
    form = TotpForm()
    if form.validate_on_submit():
        try:
            login_throttle.refuse_if_locked(user.username)
            user_service.check_second_factor(user.username, user, form.code.data)
        except Unauthorized as err:
            attach_errors(form, {"code": [err.message]})
        except TooManyRequests as err:
            attach_errors(form, {"code": [err.message]})
            page = render_template("auth/login_code.html", form=form)
            return page, 429, {"Retry-After": str(err.retry_after)}
        else:
            session.pop(PENDING, None)
            return _log_in(user.username, user, pending["remember"], pending["next"])
    return render_template(
        "auth/login_code.html", form=form
    ), 422 if form.errors or form.form_errors else 200


@bp.route("/account/totp", methods=["GET", "POST"])
def totp_enrol():
    """Office and admin staff enrol an authenticator app: secret, otpauth URI and QR code."""
    if not current_user.is_authenticated:
        return redirect(url_for("account.login", next=request.path))
    user = me()
    if not totp_service.is_staff(user):
        raise Forbidden("无权访问此页面 / your role may not open this page")
    if user.totp_secret:
        return render_template("auth/totp_enrol.html", enrolled=True)
    secret = unseal(session[NEW_SECRET]) if NEW_SECRET in session else totp_service.new_secret()
    session[NEW_SECRET] = seal(secret)  # the session cookie is signed, not encrypted
    form = TotpForm()
    if form.validate_on_submit():
        try:
            totp_service.enrol(user, secret, form.code.data)
        except RuleViolation as err:
            attach_errors(form, err.errors)
        else:
            session.pop(NEW_SECRET, None)
            flash(_("The second factor is on: log in with the app's code from now on."), "success")
            return redirect(home_for(user.role))
    uri = totp_service.provisioning_uri(user, secret)
    page = render_template(
        "auth/totp_enrol.html",
        enrolled=False,
        form=form,
        secret=secret,
        uri=uri,
        qr=Markup(totp_service.qr_svg(uri)),
    )
    return page, 422 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out everywhere (a POST, so it carries the CSRF token): old session cookies stop working."""
    if current_user.is_authenticated:
        user_service.end_sessions(me())
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("public.index"))


@bp.route("/register/seeker", methods=["GET", "POST"])
def register_seeker():
    """Sign up as a job seeker."""
    form = SeekerRegisterForm()
    form.education.choices = education_choices(_("Choose…"))
    form.district_code.choices = district_choices(_("Not given"))
    if form.validate_on_submit():
        profile = {
            "name": form.name.data.strip(),
            "id_number": form.id_number.data.strip().upper(),
            "education": form.education.data,
            "phone": form.phone.data or None,
            "district_code": form.district_code.data or None,
            "visible": bool(form.visible.data),
        }
        data = {"username": form.username.data, "password": form.password.data, "profile": profile}
        if form.email.data:
            data["email"] = form.email.data
        loaded = load_with(SeekerRegisterSchema(), data, form)
        created = loaded and call_service(form, seeker_service.register_seeker, loaded)
        if created:
            login_user(created[0])
            flash(_("Welcome! Complete your profile so employers can find you."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("seeker.profile")))
    return render_template(
        "auth/register_seeker.html", form=form
    ), 422 if form.errors or form.form_errors else 200


@bp.route("/register/employer", methods=["GET", "POST"])
def register_employer():
    """Sign up an organisation and its first login."""
    form = EmployerRegisterForm()
    form.size_class.choices = [(k, str(v)) for k, v in SIZE_LABELS.items()]
    form.district_code.choices = district_choices(_("Choose…"))
    if form.validate_on_submit():
        org = {
            **form.organisation_data(),
            "credit_code": form.credit_code.data.strip().upper(),
        }
        data = {"username": form.username.data, "password": form.password.data, "employer": org}
        if form.email.data:
            data["email"] = form.email.data
        loaded = load_with(EmployerRegisterSchema(), data, form)
        created = loaded and call_service(form, employer_service.register_employer, loaded)
        if created:
            login_user(created[0])
            flash(_("Your organisation is registered. You can post now."), "success")
            return redirect(url_for("employer.home"))
    return render_template(
        "auth/register_employer.html", form=form
    ), 422 if form.errors or form.form_errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@role_required("seeker", "employer", "office", "admin")
def password():
    """Change the password of the logged-in user."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            user_service.change_password(me(), form.current.data, form.new.data)
        except Unauthorized as err:
            attach_errors(form, {"current": [err.message]})
        else:
            login_user(me(), remember=bool(session.get("remember")))  # this session lives on
            flash(_("Your password has been changed."), "success")
            return redirect(home_for(current_user.role))
    return render_template(
        "auth/password.html", form=form
    ), 422 if form.errors or form.form_errors else 200


@bp.route("/lang/<code>")
def set_language(code: str):
    """Switch the display language and go back to the page the visitor was on."""
    target = without_lang(safe_next(request.args.get("next"), url_for("public.index")))
    response = redirect(target)
    if code in current_app.config["BABEL_SUPPORTED_LOCALES"]:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
