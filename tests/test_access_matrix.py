"""The access matrix (issue 18, ASVS V4): every endpoint of the URL map, pages and API, tried
by nine identities — anonymous, seeker A and B, employer A and B, the office of district A,
the office of another district, the city office and an admin — on district A's objects.

``ACCESS`` says, for each endpoint and method, which roles may use it at all, and for the
ones that name a record, whose record it is. A role outside the list must be refused (401,
403, a redirect to the login page, or 404); an identity of an allowed role must be refused on
a record that is not its own (another seeker's application, another district's seeker) and
must not be refused on its own. An endpoint missing from the table fails the test, so every
new route has to be classified here.
"""

import datetime as dt

import pytest

from app.auth import issue_token
from app.extensions import db
from app.models import DesiredJob, Invitation, MatchRun, SavedSearch, Traineeship
from tests import scenario
from tests.conftest import IsolatedClient
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    PostingFactory,
    SeekerFactory,
    UserFactory,
)
from tests.web.conftest import login

IDENTITIES = ("anon", "seekA", "seekB", "empA", "empB", "offA", "offB", "city", "admin")
ROLE_OF = {
    "anon": "-",
    "seekA": "S",
    "seekB": "S",
    "empA": "E",
    "empB": "E",
    "offA": "O",
    "offB": "O",
    "city": "O",
    "admin": "X",
}
# Who owns district A's record of each kind (besides the city office and admins, who see all).
OWNERS = {
    "seeker": {"seekA", "offA"},
    "application": {"seekA", "empA", "offA"},
    "posting": {"empA", "offA"},
    "employer": {"empA", "offA"},
    "program": {"offA"},
    "traineeship": {"seekA", "empA", "offA"},
    "run": {"offA"},
    "invitation": {"seekA"},
    "search": {"seekA"},
    "job": {"offA"},
    "program_lines": {"empA", "empB", "offA"},  # a program's subsidy lines: each host its own
}
PUBLIC, FREE = "*", "free"  # anyone; anyone (no check: login pages, language, health)

# endpoint or "endpoint METHOD": (roles that may use it, the kind of record it names or None)
ACCESS: dict[str, tuple[str, str | None]] = {
    # accounts
    "account.login": (FREE, None),
    "account.login_code": (FREE, None),
    "account.logout": (FREE, None),  # ends the caller's own sessions; tried last, see below
    "account.password": ("SEOX", None),
    "account.register_employer": (FREE, None),
    "account.register_seeker": (FREE, None),
    "account.set_language": (FREE, None),
    "account.totp_enrol": ("OX", None),
    "auth.Logout": (FREE, None),
    "auth.Me": ("SEOX", None),
    "auth.RegisterEmployer": (FREE, None),
    "auth.RegisterSeeker": (FREE, None),
    "auth.Staff": ("X", None),
    "auth.StaffTotp": ("X", None),
    "auth.Token": (FREE, None),
    "health.Health": (FREE, None),
    "probes.live": (FREE, None),
    "probes.ready": (FREE, None),
    # public pages and reference data
    "public.index": (PUBLIC, None),
    "public.listing": (PUBLIC, None),
    "public.listings": (PUBLIC, None),
    "public.occupation_options": (PUBLIC, None),
    "public.screening_rules": (PUBLIC, None),
    "reference.Districts": (PUBLIC, None),
    "reference.OccupationItem": (PUBLIC, None),
    "reference.Occupations": (PUBLIC, None),
    "postings.Postings GET": (PUBLIC, None),
    "postings.PostingItem GET": (PUBLIC, None),
    # applications
    "applications.Applications GET": ("SEOX", None),
    "applications.Applications POST": ("SX", None),
    "applications.ApplicationItem": ("SEOX", "application"),
    "applications.ApplicationTimeline": ("SEOX", "application"),
    # seekers
    "seekers.Seekers GET": ("OX", None),
    "seekers.Seekers POST": ("OX", None),
    "seekers.MySeeker": ("S", None),
    "seekers.SeekerItem": ("SOX", "seeker"),
    "seekers.DesiredJobItem": ("OX", "job"),
    "seekers.FactConfirmations": ("OX", "seeker"),
    "matching.Recommendations": ("SOX", "seeker"),
    "reports.OfficeRecommendations": ("SOX", "seeker"),
    "reports.ServiceFile": ("OX", "seeker"),
    "reports.RevealPhone": ("OX", "seeker"),
    "seeker.answer_invitation": ("S", "invitation"),
    "seeker.application": ("S", "application"),
    "seeker.applications": ("S", None),
    "seeker.apply": ("S", None),
    "seeker.delete_search": ("S", "search"),
    "seeker.my_data": ("S", None),
    "seeker.my_data_json": ("S", None),
    "seekers.MyPersonalData": ("S", None),
    "seekers.EraseMyAccount": ("SX", None),  # with an empty body: refused, nothing erased
    "seeker.erase": ("S", None),
    "public.privacy": (PUBLIC, None),
    "seeker.favourites": ("S", None),
    "seeker.notifications": ("S", None),
    "seeker.profile": ("S", None),
    "seeker.read_notifications": ("S", None),
    "seeker.recommendations": ("S", None),
    "seeker.save_search": ("S", None),
    "seeker.searches": ("S", None),
    "seeker.toggle_favourite": ("S", None),
    "seeker.traineeship": ("S", None),
    "seeker.withdraw": ("S", "application"),
    "matching.InvitationAnswer": ("S", "invitation"),
    "matching.InvitationList": ("SE", None),
    # employers and postings
    "employers.Employers GET": ("EOX", None),  # an employer lists only itself
    "employers.Employers POST": ("OX", None),
    "employers.EmployerItem": ("EOX", "employer"),
    "settlements.EmployerSubsidy": ("EOX", "employer"),
    "postings.Postings POST": ("EOX", None),
    "postings.PostingItem PATCH": ("EOX", "posting"),
    "postings.PostingReview": ("OX", "posting"),
    "matching.Candidates": ("EOX", "posting"),
    "matching.Invitations": ("EX", "posting"),
    "employer.applicants": ("E", None),
    "employer.candidates": ("E", "posting"),
    "employer.close_posting": ("E", "posting"),
    "employer.edit_posting": ("E", "posting"),
    "employer.employment": ("E", None),
    "employer.employments": ("E", None),
    "employer.home": ("E", None),
    "employer.invite": ("E", "posting"),
    "employer.move": ("E", "application"),
    "employer.new_posting": ("E", None),
    "employer.posting": ("E", "posting"),
    "employer.profile": ("E", None),
    "employer.record_outcome": ("E", "traineeship"),
    "employer.traineeships": ("E", None),
    "employments.Employments": ("EOX", None),
    "employments.EmploymentItem": ("EOX", None),
    # programs, traineeships, placement, settlement
    "programs.Programs GET": (PUBLIC, None),  # programs are public policy
    "programs.Programs POST": ("OX", None),
    "programs.ProgramItem GET": (PUBLIC, None),
    "programs.ProgramItem PATCH": ("OX", "program"),
    "traineeships.Traineeships GET": ("EOX", None),
    "traineeships.Traineeships POST": ("EOX", None),
    "traineeships.MyTraineeships": ("S", None),
    "traineeships.TraineeshipItem": ("EOX", "traineeship"),  # seekers: /traineeships/mine
    "placements.Proposals": ("OX", "program"),
    "placements.Run": ("OX", "run"),
    "placements.Confirm": ("OX", "run"),
    "placements.Overrides": ("OX", "run"),
    "placements.Recompute": ("OX", "run"),
    "placements.SeatTransfers": ("OX", None),
    "settlements.SettlementView": ("EOX", "program_lines"),
    "settlements.SettlementRuns": ("OX", "program"),
    "settlements.Payments": ("OX", "program"),
    "settlements.Claims": ("EOX", "program_lines"),
    # policy and reports
    "policy.Eligibility": ("SEOX", None),  # a seeker of one's own, or a what-if record
    "policy.Finder": ("OX", None),
    "policy.HiringGrants": ("OX", None),
    "reports.ContactListCsv": ("OX", None),
    "reports.ContactListXlsx": ("OX", None),
    "reports.Dispatch": ("OX", None),
    "reports.DispatchXlsx": ("OX", None),
    "reports.EarlyWarning": ("OX", None),
    "reports.Targets": ("OX", None),
    "reports.Fairness": ("OX", None),
    "reports.MatchReports": ("OX", None),
    "reports.MatchReport": ("OX", "run"),
    "reports.MatchReportCsv": ("OX", "run"),
    "reports.MatchReportXlsx": ("OX", "run"),
    "reports.PushRecommendations": ("OX", "run"),
    "reports.ServiceRecords": ("OX", None),
    "reports.ServiceTracking": ("OX", None),
    "audit.AuditEvents": ("OX", None),  # a district's office reads its district's events only
    "audit.AuditEventsCsv": ("OX", None),
}
# Every office page is for office staff and admins; these name a record, of their district.
OFFICE_PAGES = {
    "office.check_desired_job": "job",
    "office.check_occupation": "posting",
    "office.confirm": "run",
    "office.employer": "employer",
    "office.match_run": "run",
    "office.match_run_csv": "run",
    "office.match_run_status": "run",
    "office.match_run_xlsx": "run",
    "office.override": "run",
    "office.placement_run": "run",
    "office.placements": "program",
    "office.propose": "program",
    "office.push_match_run": "run",
    "office.reveal_phone": "seeker",
    "office.second_round": "run",
    "office.seeker": "seeker",
    "office.confirm_facts": "seeker",
    "office.settle": "program",
    "office.settlement": "program",
    "office.transfer_seats": "program",
}


def _entry(endpoint: str, method: str) -> tuple[str, str | None] | None:
    if endpoint.startswith("office."):
        return "OX", OFFICE_PAGES.get(endpoint)
    return ACCESS.get(f"{endpoint} {method}") or ACCESS.get(endpoint)


def _routes(app) -> list[tuple[str, str, object]]:
    """(endpoint, method, rule) of every route but static files and the API's documentation."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("api-docs"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule))
    return found


def _world() -> tuple[dict, dict]:
    """District A's records (and B's twins) and the users of the nine identities."""
    from app.services import placement
    from app.services.reports import match_report

    prog = scenario.program()
    other_prog = scenario.program(key="other-2023", district_code="500101")
    emp_a = EmployerFactory(name="甲单位", host_approved=True)
    emp_b = EmployerFactory(name="乙单位", district_code="500101", host_approved=True)
    post_a = PostingFactory(employer=emp_a, kind="traineeship", program=prog, duration_months=6)
    post_b = PostingFactory(employer=emp_b, district_code="500101")
    seek_a = SeekerFactory(name="甲", visible=True, phone="13800000001")
    seek_b = SeekerFactory(name="乙", district_code="500101", hukou_district="500101", visible=True)
    users = {
        "seekA": UserFactory(role="seeker"),
        "seekB": UserFactory(role="seeker"),
        "empA": UserFactory(role="employer", employer_id=emp_a.id),
        "empB": UserFactory(role="employer", employer_id=emp_b.id),
        "offA": UserFactory(role="office", office_district="500156"),
        "offB": UserFactory(role="office", office_district="500101"),
        "city": UserFactory(role="office", office_district=None),
        "admin": UserFactory(role="admin"),
    }
    seek_a.user_id, seek_b.user_id = users["seekA"].id, users["seekB"].id
    app_a = ApplicationFactory(seeker=seek_a, posting=post_a)
    ApplicationFactory(seeker=seek_b, posting=post_b)
    job = DesiredJob(seeker_id=seek_a.id, title="保安", occupation_code="4-07-05-01")
    search = SavedSearch(user_id=users["seekA"].id, name="会计", query={"q": "会计"})
    invitation = Invitation(posting_id=post_a.id, seeker_id=seek_a.id, employer_id=emp_a.id)
    db.session.add_all([job, search, invitation])
    db.session.commit()
    scenario.traineeship(seek_a, post_a, dt.date(2023, 11, 1), 6)
    traineeship = db.session.scalars(db.select(Traineeship)).one()
    placement_run = placement.propose(users["offA"], prog.id)
    report = match_report.start_report(users["offA"], "500156", background=False)
    assert other_prog.id and isinstance(report, MatchRun)
    records = {
        "seeker": seek_a.id,
        "application": app_a.id,
        "posting": post_a.id,
        "employer": emp_a.id,
        "program": prog.id,
        "traineeship": traineeship.id,
        "invitation": invitation.id,
        "search": search.id,
        "job": job.id,
        "placement_run": placement_run.id,
        "report_run": report.id,
        "staff": users["offB"].id,
    }
    return records, users


PLACEMENT_RUNS = (
    "placements.",
    "office.confirm",
    "office.override",
    "office.placement_run",
    "office.second_round",
)
MISSING = 999_999  # no employment record is built: only the role is checked there
FIXED = {"employment_id": MISSING, "code": "4-07-05-01", "fmt": "csv", "answer": "decline"}


def _path(rule, endpoint: str, records: dict) -> str:
    """The rule's URL with every argument naming district A's record of its kind."""
    values = {}
    for name in rule.arguments:
        if name == "run_id":
            placed = endpoint.startswith(PLACEMENT_RUNS)
            values[name] = records["placement_run" if placed else "report_run"]
        elif name == "user_id":
            values[name] = records["staff"]
        elif name in FIXED:
            values[name] = FIXED[name]
        else:
            values[name] = records[name.removesuffix("_id")]
    return rule.build(values, append_unknown=False)[1]


def _refused(response) -> bool:
    """Whether the response turns the caller away (or hides the record)."""
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code in (302, 303) and "/login" in response.headers.get("Location", "")


def _expected(identity: str, roles: str, kind: str | None) -> bool | None:
    """True: must be let in; False: must be refused; None: anything but a 5xx."""
    if roles == FREE:
        return None
    if roles == PUBLIC:
        return True
    if ROLE_OF[identity] not in roles:
        return False
    return kind is None or identity in OWNERS[kind] | {"city", "admin"}


def _order(route: tuple) -> tuple:
    endpoint, method, _rule = route
    roles, _kind = _entry(endpoint, method)
    logout = endpoint in ("account.logout", "auth.Logout")
    return (logout, roles == FREE, method != "GET", endpoint, method)


@pytest.fixture
def world(ctx):
    """District A's records and a logged-in client per identity (None: anonymous)."""
    records, users = _world()
    ctx.test_client_class = IsolatedClient
    clients = {}
    for identity in IDENTITIES:
        client = ctx.test_client()
        user = users.get(identity)
        if user is not None:
            login(client, user)
            client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {issue_token(user)}"
        clients[identity] = client
    return records, clients


def test_every_route_is_in_the_access_table(app):
    missing = [f"{e} {m}" for e, m, _ in _routes(app) if _entry(e, m) is None]
    assert missing == [], "classify these routes in tests/test_access_matrix.py"


def test_every_identity_gets_exactly_what_the_table_allows(app, world):
    records, clients = world
    wrong = []
    for endpoint, method, rule in sorted(_routes(app), key=_order):
        roles, kind = _entry(endpoint, method)
        path = _path(rule, endpoint, records)
        api = path.startswith("/api/")
        for identity in IDENTITIES:
            client = clients[identity]
            # Pages get a plausible form, so a refusal is not only a form error.
            form = {"status": "shortlisted", "seeker_id": records["seeker"], "note": "x"}
            body = {"json": {}} if api else {"data": form}
            response = client.open(path, method=method, **({} if method == "GET" else body))
            expected = _expected(identity, roles, kind)
            if expected and str(MISSING) in path and response.status_code == 404:
                continue  # let in, and told the record does not exist
            if (
                expected is False
                and method != "GET"
                and response.status_code in (400, 422)
                and ROLE_OF[identity] in roles
            ):
                continue  # a role that may write here, refused on the empty body: nothing changed
            if response.status_code >= 500:
                wrong.append(f"{method} {path} as {identity}: {response.status_code}")
            elif expected is not None and _refused(response) == expected:
                verdict = "refused" if expected else "let in"
                wrong.append(
                    f"{method} {path} ({endpoint}) as {identity}: {verdict} ({response.status_code})"
                )
    assert wrong == []
