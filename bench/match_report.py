"""Time a district match report: 100,000 seekers and 10,000 open posts, through the library path.

``python bench/match_report.py [--seekers 100000] [--posts 10000] [--k 10] [--max-lists 3]``

Synthetic seekers and posts come from the demo generator (``seed/demo``: realistic titles,
skills, majors, districts and priority groups; no real people), all placed in one district.
The timed part is what a report run does after loading rows: build the district's seeker
index, then :func:`app.services.reports.match_report.assemble` — the ranker's batch
function ``top_seekers_for_postings`` for every post with the exposure cap, three posts per
priority-group seeker, and score parts and reasons for every shown pair. Database reads and
writes are not included (the service adds them). Prints the wall and CPU time of each stage, the
machine load before and after, and the cores: on a shared machine the CPU time says what
the work costs, the wall time what the office waited.
"""

import os
import sys
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.services.reports.match_report import assemble
from matching.index import SeekerIndex
from matching.profiles import PostingProfile, SeekerProfile
from matching.ranker import Ranker
from seed.demo.generator import generate

DISTRICT = "500156"


def _profiles(
    seekers: int, posts: int, seed: int
) -> tuple[list[SeekerProfile], list[PostingProfile]]:
    data = generate(seed, employers=max(posts // 5, 320), postings=posts, seekers=seekers)
    people = [
        SeekerProfile(
            id=str(n),
            text=" ".join(p for p in (s.summary, s.major, s.school) if p),
            desired_occupations=list(s.desired_occupations),
            skills=list(s.skills),
            education=s.education,
            major=s.major,
            district=DISTRICT,
            desired_districts=list(s.desired_districts),
            expected_salary=s.expected_salary,
            priority_groups=list(s.priority_groups),
            visible=True,
        )
        for n, s in enumerate(data.seekers, start=1)
    ]
    jobs = [
        PostingProfile(
            id=str(1_000_000 + n),
            kind=p.kind,  # type: ignore[arg-type]
            title=p.title,
            text=p.description,
            occupation_code=p.occupation_code,
            skills=list(p.skills),
            min_education=p.min_education,
            majors=list(p.majors),
            district=DISTRICT,
            salary_min=p.salary_min,
            salary_max=p.salary_max,
            slots_left=p.slots,
        )
        for n, p in enumerate(data.postings, start=1)
    ]
    return people, jobs


@click.command()
@click.option("--seekers", default=100_000, show_default=True)
@click.option("--posts", default=10_000, show_default=True)
@click.option("--k", default=10, show_default=True)
@click.option("--max-lists", default=3, show_default=True)
@click.option("--seed", default=2023, show_default=True)
def main(seekers: int, posts: int, k: int, max_lists: int, seed: int) -> None:
    """Generate, then time index build and report assembly; print stage times and machine load."""
    t0 = time.perf_counter()
    people, jobs = _profiles(seekers, posts, seed)
    priority = [p.id for p in people if p.priority_groups]
    click.echo(
        f"generated {len(people)} seekers ({len(priority)} in priority groups), "
        f"{len(jobs)} posts in {time.perf_counter() - t0:.1f} s (not timed)"
    )
    load_before = os.getloadavg()
    start, cpu_start = time.perf_counter(), time.process_time()
    index = SeekerIndex.build(people)
    last = [start, cpu_start]

    def progress(fraction: float, stage: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        click.echo(
            f"  {fraction:4.2f} {stage:<48} {now - last[0]:7.1f} s wall {cpu - last[1]:7.1f} s CPU"
        )
        last[:] = [now, cpu]

    progress(0.0, "built the seeker index")
    result = assemble(
        Ranker(), index, jobs, {}, priority, k=k, max_lists=max_lists, progress=progress
    )
    total, cpu_total = time.perf_counter() - start, time.process_time() - cpu_start
    rows = sum(len(v) for v in result.posts.values())
    recs = sum(len(v) for v in result.seekers.values())
    click.echo(
        f"report: {len(result.posts)} posts, {rows} candidate rows, {recs} recommendations, "
        f"{result.capped_seekers} seekers at the cap of {max_lists}, {result.short_lists} short lists"
    )
    click.echo(f"TOTAL {total:.1f} s wall, {cpu_total:.1f} s CPU on all threads (target < 120 s)")
    click.echo(
        f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}; "
        f"cores {os.cpu_count()}"
    )


if __name__ == "__main__":
    main()
