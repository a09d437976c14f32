"""A stateful property test of an office's year (issue 19): random sequences of the services, invariants after each.

Hypothesis plays post, apply, shortlist, hire, enrol, propose (both programs), override,
second round, confirm, leave early, convert early, complete, retain, settle, record payment and
push a match report's recommendations through the same services the API and pages call, on a
small Wulong district; after every step the counts the office reports are recounted from the
raw tables:

* each post's filled slots = its active traineeships + hires into it that are labour contracts;
* each program's seats taken = its traineeships that did not end by leaving early;
* one active traineeship per person; a hire on a trainee post is a traineeship, never an
  employment; nobody is in two open placement proposals of the district;
* every subsidy line traces to a traineeship of its program and host and to a rule of the
  program's rulebook; settlement and payment totals equal the sums of the stored lines;
* the monthly dispatch's figures and the policy finder's hires equal a recount of the rows;
* no notification is missing: every change an employer or office made to an application, every
  traineeship's start and end and every pushed recommendation reached the seeker, and every
  notification has its outbox message.

Runs on SQLite and PostgreSQL (``TEST_DATABASE_URL``); the numbers of examples and steps are
printed and recorded as test properties (``--junitxml``).
"""

import datetime as dt
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.errors import DomainError
from app.extensions import db
from app.models import (
    Application,
    ApplicationEvent,
    Employment,
    MatchRun,
    Notification,
    OutboxMessage,
    Posting,
    Program,
    PushedRecommendation,
    SubsidyLine,
    Traineeship,
    User,
)
from app.services import (
    applications,
    placement,
    policy_finder,
    postings,
    settlement,
    traineeships,
)
from app.services.reports import match_report
from app.services.reports.dispatch import dispatch_report
from app.services.rulebooks import default_files, load_files, program_rulebook
from tests.conftest import REFERENCE_TABLES
from tests.factories import EmployerFactory, SeekerFactory, UserFactory

EXAMPLES = 12
STEPS = 25
START = dt.date(2023, 1, 1)
MONTHS = [f"2023-{m:02d}" for m in range(2, 13)]
TITLES = [("软件测试员", "4-04-05-02", ["Python", "SQL"]), ("仓储管理员", "4-02-06-01", ["Excel"])]


def _empty_tables() -> None:
    db.session.rollback()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                conn.execute(table.delete())


class OfficeYear(RuleBasedStateMachine):
    """One Wulong office, an enterprise program (floor, no cap) and a public one (capped), three hosts."""

    examples = 0
    steps = 0
    pushes = 0
    app = None

    posts = Bundle("posts")
    apps = Bundle("applications")
    runs = Bundle("runs")

    @initialize()
    def district(self) -> None:
        """A fresh district: programs, hosts with their logins, an office and eight graduates."""
        type(self).examples += 1
        _empty_tables()
        self.app.extensions.pop("jianxi.indexes", None)
        load_files(default_files())
        period = {"starts_on": START, "ends_on": dt.date(2023, 12, 31)}
        self.programs = {
            "enterprise": Program(
                key="st-enterprise",
                name="企业见习",
                district_code="500156",
                kind="enterprise",
                floor=4,
                quota=None,
                monthly_rate=1300,
                rulebook="wulong-2023.toml",
                **period,
            ),
            "public": Program(
                key="st-public",
                name="机关事业单位见习",
                district_code="500156",
                kind="public",
                floor=2,
                quota=2,
                monthly_rate=2100,
                rulebook="wulong-2023.toml",
                **period,
            ),
        }
        db.session.add_all(self.programs.values())
        hosts = [
            EmployerFactory(host_approved=True),
            EmployerFactory(host_approved=True),
            EmployerFactory(host_approved=True, public_institution=True, name="武隆区融媒体中心"),
        ]
        self.host_users = [UserFactory(role="employer", employer_id=host.id) for host in hosts]
        self.office = UserFactory(role="office", office_district="500156")
        self.seekers = []
        for i in range(8):
            title, code, skills = TITLES[i % 2]
            seeker = SeekerFactory(
                birth_date=dt.date(2001, 1, 1 + i),
                visible=True,
                desired_occupations=[code],
                skills=skills,
                summary=title,
                priority_groups=["low_income_family"] if i % 2 else [],
                priority_certified_by="武隆区就业服务中心" if i % 2 else None,
            )
            seeker.user = UserFactory(role="seeker")
            self.seekers.append(seeker)
        self.job = Posting(
            employer_id=hosts[0].id,
            kind="job",
            title="软件测试员",
            occupation_code="4-04-05-02",
            salary_min=4000,
            salary_max=6000,
            district_code="500156",
            slots=2,
            status="published",
            published_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
        )
        db.session.add(self.job)
        db.session.commit()

    def _try(self, call, *args, **kwargs):
        """Run one service call; a refusal (domain rule or constraint) leaves nothing behind."""
        type(self).steps += 1
        try:
            return call(*args, **kwargs)
        except (DomainError, IntegrityError):
            db.session.rollback()
            return None

    def _employer_of(self, posting_id: int) -> User:
        employer_id = db.session.get(Posting, posting_id).employer_id
        return next(u for u in self.host_users if u.employer_id == employer_id)

    @rule(
        target=posts,
        host=st.integers(0, 2),
        slots=st.integers(1, 2),
        months=st.sampled_from([3, 6]),
    )
    def post(self, host: int, slots: int, months: int):
        """A host raises a trainee post in its program."""
        title, code, skills = TITLES[host % 2]
        program = self.programs["public" if host == 2 else "enterprise"]
        data = {
            "kind": "traineeship",
            "title": title,
            "description": f"{title}见习岗位",
            "occupation_code": code,
            "skills": skills,
            "salary_min": 2000,
            "salary_max": 2500,
            "district_code": "500156",
            "slots": slots,
            "duration_months": months,
            "program_id": program.id,
        }
        made = self._try(postings.create_posting, self.host_users[host], data)
        return made.id if made is not None else self.job.id

    @rule(target=apps, post=posts, who=st.integers(0, 7), job=st.booleans())
    def apply(self, post: int, who: int, job: bool):
        """A graduate applies to a trainee post (or to the job)."""
        user = self.seekers[who].user
        made = self._try(applications.apply, user, self.job.id if job else post, "我想试试")
        return made.id if made is not None else None

    @rule(application=apps, status=st.sampled_from(["shortlisted", "invited", "rejected"]))
    def decide(self, application: int | None, status: str) -> None:
        """The employer shortlists, invites or rejects."""
        if application is not None:
            row = db.session.get(Application, application)
            user = self._employer_of(row.posting_id)
            self._try(applications.move, user, application, status, "备注")

    @rule(application=apps, month=st.integers(2, 11))
    def hire(self, application: int | None, month: int) -> None:
        """The employer hires: on a trainee post this is the enrolment."""
        if application is not None:
            row = db.session.get(Application, application)
            user = self._employer_of(row.posting_id)
            self._try(applications.move, user, application, "hired", None, dt.date(2023, month, 1))

    @rule(post=posts, who=st.integers(0, 7), month=st.integers(2, 11))
    def enrol(self, post: int, who: int, month: int) -> None:
        """The office enrols a graduate into a trainee post."""
        posting = db.session.get(Posting, post)
        body = {
            "program_id": posting.program_id or 0,
            "posting_id": post,
            "seeker_id": self.seekers[who].id,
            "started_on": dt.date(2023, month, 1),
        }
        self._try(traineeships.enrol, self.office, body)

    @rule(target=runs, kind=st.sampled_from(["enterprise", "public"]))
    def propose(self, kind: str):
        """The office proposes placements for one program."""
        run = self._try(placement.propose, self.office, self.programs[kind].id)
        return run.id if run is not None else None

    @rule(run=runs, pick=st.integers(0, 5))
    def override(self, run: int | None, pick: int) -> None:
        """The office removes one placement by hand (the person declined)."""
        if run is not None:
            results = sorted(db.session.get(MatchRun, run).results, key=lambda r: r.id)
            if results:
                seeker_id = results[pick % len(results)].seeker_id
                self._try(placement.override, self.office, run, seeker_id, None, "本人谢绝")

    @rule(target=runs, run=runs)
    def second_round(self, run: int | None):
        """The office runs a second round after a proposal."""
        if run is None:
            return None
        program_id = db.session.get(MatchRun, run).parameters["program_id"]
        made = self._try(placement.propose, self.office, program_id, after_run_id=run)
        return made.id if made is not None else None

    @rule(run=runs, month=st.integers(2, 11))
    def confirm(self, run: int | None, month: int) -> None:
        """The office turns a proposal into traineeships."""
        if run is not None:
            self._try(placement.confirm, self.office, run, dt.date(2023, month, 1))

    @rule(
        pick=st.integers(0, 50),
        outcome=st.sampled_from(["left_early", "converted_early", "completed", "retained"]),
        days=st.integers(14, 80),
    )
    def end(self, pick: int, outcome: str, days: int) -> None:
        """A traineeship ends: early leave, early conversion, or at its planned end (kept or not)."""
        active = list(
            db.session.scalars(
                select(Traineeship).where(Traineeship.outcome == "active").order_by(Traineeship.id)
            )
        )
        if not active:
            return
        row = active[pick % len(active)]
        last = traineeships.planned_end(row)
        ended = (
            last if outcome in ("completed", "retained") else row.started_on + dt.timedelta(days)
        )
        self._try(traineeships.record_outcome, self.office, row.id, outcome, min(ended, last))

    @rule(pick=st.integers(0, 50))
    def retain_later(self, pick: int) -> None:
        """A host keeps on a trainee who completed."""
        done = list(
            db.session.scalars(
                select(Traineeship)
                .where(Traineeship.outcome == "completed")
                .order_by(Traineeship.id)
            )
        )
        if done:
            row = done[pick % len(done)]
            self._try(traineeships.record_outcome, self.office, row.id, "retained", row.ended_on)

    @rule(kind=st.sampled_from(["enterprise", "public"]), month=st.sampled_from(MONTHS))
    def settle(self, kind: str, month: str) -> None:
        """The office settles a program up to a month; the lines it adds sum to its total."""
        program = self.programs[kind]
        before = self._line_sum(program.id)
        result = self._try(settlement.run_settlement, self.office, program.id, month)
        if result is not None:
            assert result["total"] == self._line_sum(program.id) - before
            assert result["total"] == sum(line["amount"] for line in result["lines"])

    @rule(kind=st.sampled_from(["enterprise", "public"]), month=st.sampled_from(MONTHS))
    def pay(self, kind: str, month: str) -> None:
        """The finance bureau paid the due lines up to a month."""
        program = self.programs[kind]
        result = self._try(settlement.record_payment, self.office, program.id, month, "REF")
        if result is not None:
            assert result["paid_total"] == self._line_sum(program.id, status="paid")

    @rule()
    def push(self) -> None:
        """The office runs a match report of its district and pushes the recommendations."""
        run = self._try(match_report.start_report, self.office, "500156", background=False)
        if run is not None and run.status == "done":
            done = self._try(match_report.push_recommendations, self.office, run.id)
            type(self).pushes += bool(done and done.get("pushed"))

    def _line_sum(self, program_id: int, status: str | None = None) -> int:
        stmt = select(func.coalesce(func.sum(SubsidyLine.amount), 0)).where(
            SubsidyLine.program_id == program_id
        )
        if status is not None:
            stmt = stmt.where(SubsidyLine.status == status)
        return int(db.session.scalar(stmt))

    @invariant()
    def seats_are_people(self) -> None:
        """Slots and seats equal the traineeships and hires that hold them."""
        if not hasattr(self, "programs"):
            return
        db.session.expire_all()
        for post in db.session.scalars(select(Posting)):
            active = db.session.scalar(
                select(func.count()).where(
                    Traineeship.posting_id == post.id, Traineeship.outcome == "active"
                )
            )
            hired = 0
            if post.kind != "traineeship":
                hired = db.session.scalar(
                    select(func.count()).where(
                        Application.posting_id == post.id, Application.status == "hired"
                    )
                )
            assert post.slots_filled == active + hired, post.id
        for program in db.session.scalars(select(Program)):
            held = db.session.scalar(
                select(func.count()).where(
                    Traineeship.program_id == program.id, Traineeship.outcome != "left_early"
                )
            )
            assert program.seats_taken == held, program.key
            assert program.quota is None or program.seats_taken <= program.quota

    @invariant()
    def one_relation_per_person(self) -> None:
        """One active traineeship per person; a trainee post's hire is a traineeship, not an employment."""
        if not hasattr(self, "programs"):
            return
        per_person = (
            select(func.count().label("n"))
            .where(Traineeship.outcome == "active")
            .group_by(Traineeship.seeker_id)
            .subquery()
        )
        most = db.session.scalar(select(func.max(per_person.c.n)))
        assert (most or 0) <= 1
        for a in db.session.scalars(
            select(Application)
            .join(Application.posting)
            .where(Application.status == "hired", Posting.kind == "traineeship")
        ):
            assert db.session.scalar(
                select(func.count()).where(
                    Traineeship.seeker_id == a.seeker_id, Traineeship.posting_id == a.posting_id
                )
            ), a.id
            assert not db.session.scalar(
                select(func.count()).where(Employment.application_id == a.id)
            ), a.id
        programs_of = {}
        for run in db.session.scalars(select(MatchRun).where(MatchRun.status == "proposed")):
            for r in run.results:
                programs_of.setdefault(r.seeker_id, set()).add(run.parameters["program_id"])
        assert all(len(p) == 1 for p in programs_of.values()), programs_of

    @invariant()
    def lines_trace_to_traineeships_and_rules(self) -> None:
        """Every subsidy line names a traineeship of its program and host and a rule of the rulebook."""
        if not hasattr(self, "programs"):
            return
        books = {p.id: program_rulebook(p) for p in self.programs.values()}
        for line in db.session.scalars(select(SubsidyLine)):
            t = db.session.get(Traineeship, line.traineeship_id)
            assert t is not None and t.program_id == line.program_id and t.host_id == line.host_id
            assert books[line.program_id].rule(line.rule_id) is not None, line.rule_id
            assert line.rulebook_version == books[line.program_id].version

    @invariant()
    def reports_recount(self) -> None:
        """The dispatch of the year and the finder's hires equal a recount of the raw rows."""
        if not hasattr(self, "programs"):
            return
        year = dispatch_report(self.office, "2023")["figures"]
        started = db.session.scalar(
            select(func.count()).where(
                Traineeship.started_on >= START, Traineeship.started_on <= dt.date(2023, 12, 31)
            )
        )
        assert year["traineeships_started"] == started
        job_hires = [
            a.decided_at.date()
            for a in db.session.scalars(
                select(Application)
                .join(Application.posting)
                .where(Application.status == "hired", Posting.kind != "traineeship")
            )
        ]
        assert year["hires"] == sum(1 for day in job_hires if day.year == 2023)
        assert year["placements"] == year["hires"] + started
        lines = list(db.session.scalars(select(SubsidyLine)))
        assert year["subsidy_settled"] == sum(line.amount for line in lines)
        assert year["subsidy_paid"] == sum(line.amount for line in lines if line.status == "paid")
        found = policy_finder.find(self.office)
        assert found["hires_checked"] == db.session.scalar(select(func.count(Employment.id)))
        employed = set(db.session.scalars(select(Employment.seeker_id)))
        assert {f["seeker_id"] for f in found["findings"]} <= employed

    @invariant()
    def no_notification_missing(self) -> None:
        """Every change made for the seeker reached them, and every notice is in the outbox."""
        if not hasattr(self, "programs"):
            return
        notes = list(db.session.scalars(select(Notification).order_by(Notification.id)))
        told = Counter(
            (n.payload["application_id"], n.payload["status"])
            for n in notes
            if n.kind == "application"
        )
        changed = Counter(
            (e.application_id, e.status)
            for e in db.session.scalars(select(ApplicationEvent))
            if e.by_role in ("employer", "office")
            and e.status in ("shortlisted", "invited", "hired", "rejected")
        )
        assert told == changed
        last_told: dict[int, str] = {}
        for n in notes:
            if n.kind == "traineeship":
                last_told[n.payload["traineeship_id"]] = n.payload["outcome"]
        assert last_told == {t.id: t.outcome for t in db.session.scalars(select(Traineeship))}
        pushed = set(
            db.session.execute(
                select(PushedRecommendation.run_id, PushedRecommendation.seeker_id)
            ).all()
        )
        seeker_of_user = {s.user_id: s.id for s in self.seekers}
        recommended = {
            (n.payload["run_id"], seeker_of_user[n.user_id])
            for n in notes
            if n.kind == "recommendation"
        }
        assert recommended == pushed
        boxed = set(db.session.scalars(select(OutboxMessage.notification_id)))
        assert {n.id for n in notes} <= boxed


def test_an_office_year_keeps_one_account(app, ctx, record_property):
    OfficeYear.app = app
    OfficeYear.examples = OfficeYear.steps = OfficeYear.pushes = 0
    run_state_machine_as_test(
        OfficeYear,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    record_property("examples", OfficeYear.examples)
    record_property("steps", OfficeYear.steps)
    record_property("pushes", OfficeYear.pushes)
    print(
        f"office year: {OfficeYear.examples} examples, {OfficeYear.steps} service calls, "
        f"{OfficeYear.pushes} pushes of recommendations"
    )
    assert OfficeYear.examples >= EXAMPLES
