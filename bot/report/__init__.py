"""The insights report for clinic staff: what patients ask and where the bot fails.

    python -m bot report [--since 2026-11-01] [--until 2026-12-01] [--out DIR] [--show-rare]
    make report ARGS="--since 2026-11-01"

Reads the tracker store (bot/report/store.py), counts (bot/report/analyze.py) and writes
``DIR/report.html`` (self-contained, inline SVG charts) and one CSV file per table
(bot/report/render.py). Defaults: the last 30 days, ``DIR`` = ``$BOT_DATA_DIR/report``.
The staff page (/staff on the web server, bot/web.py) shows the same report for the last 30 days.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from bot.report.store import ReportError, locate_store, read_events

__all__ = ["ReportError", "Report", "build_report", "main"]

DEFAULT_DAYS = 30


@dataclass
class Report:
    html: str
    tables: dict
    conversations: int
    seconds: float


def _midnight(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()


def build_report(since: date | None = None, until: date | None = None,
                 show_rare: bool = False, env=None) -> Report:
    """The report for ``since`` (inclusive) to ``until`` (exclusive) days, UTC; default: the
    last 30 days up to now. Raises ReportError when the store cannot be read."""
    from bot.profile import current_profile
    from bot.report.analyze import analyze
    from bot.report.render import charts, render_html, tables
    from bot.topics import LOCAL_TOPIC_LABELS

    started = time.monotonic()
    now = datetime.now(timezone.utc)
    until_ts = _midnight(until) if until else now.timestamp()
    since = since or (now.date() - timedelta(days=DEFAULT_DAYS))
    if until_ts <= _midnight(since):
        raise ReportError(f"--until must be after --since ({since})")
    last_day = (until - timedelta(days=1)) if until else now.date()
    profile = current_profile()
    answered = {t for t in LOCAL_TOPIC_LABELS if profile.local_answer(t)}
    events = read_events(locate_store(env), _midnight(since), until_ts)
    insights = analyze(events, since.isoformat(), last_day.isoformat(), answered)
    all_tables = tables(insights, show_rare)
    generated = now.strftime("%Y-%m-%d %H:%M UTC")
    page = render_html(insights, all_tables, charts(insights), profile.clinic_name, generated,
                       show_rare)
    return Report(page, all_tables, insights.total_conversations, time.monotonic() - started)


def write_report(report: Report, out: Path) -> list[Path]:
    from bot.report.render import write_csvs

    out.mkdir(parents=True, exist_ok=True)
    page = out / "report.html"
    page.write_text(report.html, encoding="utf-8")
    return [page, *write_csvs(out, report.tables)]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-01") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--since", type=_day, help="first day, e.g. 2026-11-01 (default: 30 "
                        "days ago)")
    parser.add_argument("--until", type=_day, help="day after the last day (default: now)")
    parser.add_argument("--out", type=Path, help="folder for report.html and the CSV files "
                        "(default: $BOT_DATA_DIR/report)")
    parser.add_argument("--show-rare", action="store_true",
                        help="show the text of unanswered questions said fewer than 3 times")
    args = parser.parse_args(argv)
    from bot.profile import ProfileError
    from bot.settings import Settings

    out = args.out or Settings().data_dir / "report"
    try:
        report = build_report(args.since, args.until, args.show_rare)
        written = write_report(report, out)
    except (ReportError, ProfileError) as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"report: cannot write to {out}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"report: {report.conversations} conversations in {report.seconds:.1f} s", flush=True)
    for path in written:
        print(f"  {path}")
    return 0
