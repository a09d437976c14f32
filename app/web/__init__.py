"""Web pages (Jinja2, Simplified Chinese first with an English switch), one blueprint per audience."""

from flask import Flask, request
from flask_login import current_user

from app.identifiers import mask_id_number, mask_phone
from app.web import helpers


def _context() -> dict:
    """Values every template may use."""
    from app.services.saved_searches import unread_count
    from app.services.screening import CLAUSES, where_found

    user = current_user if current_user.is_authenticated else None
    return {
        "html_lang": helpers.html_lang(),
        "is_english": helpers.is_english(),
        "other_lang": "zh_CN" if helpers.is_english() else "en",
        "here": request.full_path.rstrip("?") if request else "/",
        "unread": unread_count(user) if user is not None and user.role == "seeker" else 0,
        "labels": {
            "kind": helpers.KIND_LABELS,
            "benefit": helpers.BENEFIT_LABELS,
            "posting_status": helpers.POSTING_STATUS_LABELS,
            "application_status": helpers.APPLICATION_STATUS_LABELS,
            "education": helpers.EDUCATION_LABELS,
            "size": helpers.SIZE_LABELS,
            "program_kind": helpers.PROGRAM_KIND_LABELS,
            "category": helpers.CATEGORY_LABELS,
            "outcome": helpers.OUTCOME_LABELS,
            "tier": helpers.TIER_LABELS,
            "feature": helpers.FEATURE_LABELS,
            "mode": helpers.MODE_LABELS,
            "service_kind": helpers.SERVICE_KIND_LABELS,
            "run_status": helpers.RUN_STATUS_LABELS,
            "finder_status": helpers.FINDER_STATUS_LABELS,
            "phase": helpers.PHASE_LABELS,
            "attribute": helpers.ATTRIBUTE_LABELS,
            "group": helpers.GROUP_LABELS,
            "priority": helpers.PRIORITY_LABELS,
        },
        "label": helpers.label,
        "district_name": helpers.district_name,
        "occupation_name": helpers.occupation_name,
        "url_with": helpers.url_with,
        "mask_id": mask_id_number,
        "mask_phone": mask_phone,
        "clause": CLAUSES.get,
        "where_found": where_found,
    }


def register_web(app: Flask) -> None:
    """Register the page blueprints, template filters and shared template values."""
    from app.web import (
        auth,
        employer,
        employment_pages,
        office,
        office_audit,
        office_occupations,
        office_placement,
        office_reports,
        office_seekers,
        office_settlement,
        public,
        seeker,
    )

    # Imported for the routes they add to the office and employer blueprints.
    del (
        employment_pages,
        office_audit,
        office_occupations,
        office_placement,
        office_reports,
        office_seekers,
        office_settlement,
    )

    for blueprint in (public.bp, auth.bp, seeker.bp, employer.bp, office.bp):
        app.register_blueprint(blueprint)
    app.context_processor(_context)
    app.add_template_filter(helpers.bi, "bi")
    app.add_template_filter(helpers.money, "money")
    app.add_template_filter(helpers.mark_terms, "mark_terms")
    app.add_template_filter(helpers.script_json, "script_json")
    app.add_template_filter(helpers.number, "number")
    app.add_template_filter(helpers.percent, "percent")
    app.add_template_filter(helpers.local_date, "date")
    app.add_template_filter(helpers.local_datetime, "datetime")
