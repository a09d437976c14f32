"""Reference look-ups for pages and the nearest alternatives when a listings search finds nothing."""

from collections import Counter, deque

from sqlalchemy import select

from app.extensions import db
from app.models import District, Occupation, User
from app.services import postings as posting_service
from app.services import reference
from app.services.seeding import occupation_leaf_codes

SCAN = 500


def occupations_by_code(codes: list[str]) -> dict[str, Occupation]:
    """Occupations for the given codes."""
    if not codes:
        return {}
    return {
        o.code: o
        for o in db.session.scalars(select(Occupation).where(Occupation.code.in_(set(codes))))
    }


def find_occupations(term: str, limit: int = 20) -> list[reference.Entry]:
    """Leaf occupations (细类, or a group with none, 其他教学人员) matching code, name or alias."""
    return reference.find_occupations(term, occupation_leaf_codes(), limit)


def occupation_offers(keyword: str, limit: int = 3) -> list[reference.Entry]:
    """Occupations a keyword names (exact names first, then names starting with it, then shorter
    names), so a search for 会计 can offer the 会计 occupation as a filter."""
    keyword = keyword.strip()
    if not keyword or " " in keyword:
        return []
    found = find_occupations(keyword, limit=50)
    found.sort(
        key=lambda o: (o.name != keyword, not o.name.startswith(keyword), len(o.name), o.code)
    )
    return found[:limit]


def _distances(origin: str | None) -> dict[str, int]:
    """Steps from a district to every other one over shared borders."""
    if origin is None:
        return {}
    graph = {d.code: d.neighbours or [] for d in db.session.scalars(select(District))}
    seen, queue = {origin: 0}, deque([origin])
    while queue:
        code = queue.popleft()
        for nxt in graph.get(code, []):
            if nxt not in seen:
                seen[nxt] = seen[code] + 1
                queue.append(nxt)
    return seen


def _counts(user: User | None, args: dict, key: str) -> Counter:
    items, _ = posting_service.list_postings(user, {**args, "status": "published"}, 1, SCAN)
    return Counter(getattr(p, key) for p in items if getattr(p, key))


def _occupation_prefixes(args: dict) -> list[str]:
    """Ever broader CSCO prefixes around the wanted occupation, or around occupations named like the keyword."""
    wanted = args.get("occupation")
    seeds = [wanted] if wanted else [o.code for o in find_occupations(args.get("q") or "", limit=5)]
    prefixes: list[str] = []
    for size in (7, 4, 1):
        for code in seeds:
            if len(code) > size and code[:size] not in prefixes:
                prefixes.append(code[:size])
    return prefixes


def nearest_alternatives(
    user: User | None, args: dict, limit: int = 5
) -> dict[str, list[tuple[str, int]]]:
    """Nearby districts and related occupations that do have listings for an otherwise empty search.

    Districts: the same search anywhere in Chongqing, nearest district first. Occupations: the
    search without keyword and occupation, within ever broader CSCO groups around what was wanted.
    """
    result: dict[str, list[tuple[str, int]]] = {"districts": [], "occupations": []}
    if args.get("district"):
        counts = _counts(user, {k: v for k, v in args.items() if k != "district"}, "district_code")
        far = _distances(args["district"])
        ranked = sorted(counts.items(), key=lambda kv: (far.get(kv[0], 99), -kv[1], kv[0]))
        result["districts"] = ranked[:limit]
    base = {k: v for k, v in args.items() if k not in ("q", "occupation")}
    for prefix in _occupation_prefixes(args):
        counts = _counts(user, {**base, "occupation": prefix}, "occupation_code")
        if counts:
            result["occupations"] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
            break
    return result
