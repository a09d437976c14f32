"""Public pages: the landing page, listings search with partial updates, listing detail."""

import datetime as dt
import json

from flask import Blueprint, render_template, request, url_for
from marshmallow import ValidationError

from app.auth import actor
from app.schemas.posting import PostingQuery
from app.services import applications as application_service
from app.services import favourites as favourite_service
from app.services import listing_hints, reference, screening
from app.services import postings as posting_service
from app.services import programs as program_service
from app.services.saved_searches import QUERY_KEYS, clean_query
from app.web.forms import ApplyForm, ButtonForm, SaveSearchForm
from app.web.helpers import bi, district_choices, page_arg, pages

bp = Blueprint("public", __name__, template_folder="templates")

PAGE_SIZE = 20
SORTS = ("relevance", "-published_at", "-salary_max", "salary_min")


def parse_filters() -> tuple[dict, dict[str, str]]:
    """Listing filters from the query string, checked by the API's schema; bad ones are dropped with a message."""
    raw = {
        k: request.args[k].strip() for k in (*QUERY_KEYS, "sort") if request.args.get(k, "").strip()
    }
    errors: dict[str, str] = {}
    while True:
        try:
            args = PostingQuery().load(raw)
            break
        except ValidationError as err:
            messages = err.messages if isinstance(err.messages, dict) else {}
            bad = [k for k in messages if k in raw] or list(raw)
            for key in bad:
                errors[key] = bi(" ".join(map(str, messages.get(key, []))))
                raw.pop(key, None)
    if args.get("sort") not in SORTS:
        args.pop("sort", None)
    return args, errors


def _hint_links(user, query: dict) -> dict[str, list[tuple[str, int, str]]]:
    """Nearest districts and occupations with listings, each with the search link that finds them."""
    hints = listing_hints.nearest_alternatives(user, query)
    others = {k: v for k, v in query.items() if k not in ("q", "occupation")}
    return {
        "districts": [
            (code, n, url_for("public.listings", **{**query, "district": code}))
            for code, n in hints["districts"]
        ],
        "occupations": [
            (code, n, url_for("public.listings", **{**others, "occupation": code}))
            for code, n in hints["occupations"]
        ],
    }


@bp.route("/")
def index():
    """Landing page: a search box and the newest listings."""
    items, total = posting_service.list_postings(actor(), {"status": "published"}, 1, 6)
    return render_template("public/index.html", items=items, total=total)


@bp.route("/listings")
def listings():
    """Search listings; htmx requests get only the results, and the URL keeps the filters."""
    args, errors = parse_filters()
    page = page_arg()
    user = actor()
    items, total = posting_service.list_postings(
        user, {**args, "status": "published"}, page, PAGE_SIZE
    )
    query = clean_query(args)
    context = {
        "items": items,
        "total": total,
        "pager": pages(total, page, PAGE_SIZE),
        "filters": args,
        "errors": errors,
        "hints": _hint_links(user, query) if total == 0 and query else None,
        "occupation_offers": [
            (o.code, url_for("public.listings", **{**query, "occupation": o.code}))
            for o in listing_hints.occupation_offers(query["q"])
        ]
        if "q" in query and "occupation" not in query
        else [],
        "save_form": SaveSearchForm(query=json.dumps(query, ensure_ascii=False)),
        "query": query,
        "district_options": district_choices(),
        "occupation_groups": reference.occupation_groups(),
        "occupation_label": reference.occupations().get(query["occupation"])
        if "occupation" in query
        else None,
    }
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    response = render_template(
        "public/_results.html" if partial else "public/listings.html", **context
    )
    return response, 200, {"Vary": "HX-Request"}


@bp.route("/listings/<int:posting_id>")
def listing(posting_id: int):
    """One listing; seekers see whether they applied and can apply or mark it."""
    user = actor()
    posting = posting_service.get_posting(user, posting_id)
    application = None
    if user is not None and user.role == "seeker" and user.seeker is not None:
        found, _ = application_service.list_applications(user, {"posting_id": posting.id}, 1, 1)
        application = found[0] if found else None
    return render_template(
        "public/listing.html",
        posting=posting,
        who_may_apply=program_service.who_may_apply(posting.program) if posting.program else [],
        closed_for_applications=posting.apply_by is not None and posting.apply_by < dt.date.today(),
        application=application,
        apply_form=ApplyForm(),
        button=ButtonForm(),
        favourite=posting.id in favourite_service.favourite_ids(user),
    )


@bp.route("/occupations/options")
def occupation_options():
    """``<option>`` elements for an occupation search box (CSCO-2022 细类)."""
    query = next(
        (
            request.args[k]
            for k in ("occupation_q", "q", "other_code", "add_occupation")
            if request.args.get(k)
        ),
        "",
    )
    found = listing_hints.find_occupations(query)
    return render_template("public/_occupation_options.html", occupations=found)


@bp.route("/rules/screening")
def screening_rules():
    """The rules the wording check applies, each with its document and text."""
    return render_template("public/screening_rules.html", clauses=screening.CLAUSES.values())


@bp.route("/privacy")
def privacy():
    """What personal information the service collects, why, who sees it and the person's rights."""
    return render_template("public/privacy.html")
