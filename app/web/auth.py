"""Login, logout, registration of seekers and employers, password change and the language switch."""

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

from app.errors import TooManyRequests, Unauthorized
from app.extensions import limiter
from app.schemas.employer import EmployerRegisterSchema
from app.schemas.seeker import SeekerRegisterSchema
from app.services import employers as employer_service
from app.services import seekers as seeker_service
from app.services import users as user_service
from app.web.forms import EmployerRegisterForm, LoginForm, PasswordForm, SeekerRegisterForm
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
        try:
            user = user_service.authenticate(form.username.data.strip(), form.password.data)
        except Unauthorized as err:
            attach_errors(form, {"password": [err.message]})
        except TooManyRequests as err:
            attach_errors(form, err.errors)
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(err.retry_after)}
        else:
            login_user(user, remember=form.remember.data)
            session["remember"] = bool(form.remember.data)
            return redirect(safe_next(form.next.data, home_for(user.role)))
    return render_template(
        "auth/login.html", form=form
    ), 422 if form.errors or form.form_errors else 200


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
