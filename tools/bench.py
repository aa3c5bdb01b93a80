"""Benchmark against the real servers: `make bench` (`python -m tools.bench`).

In one run, on this machine:

- cold start: from starting the servers (with an already trained model) to the first
  successful REST answer;
- REST latency (p50/p95/p99), messages per second and errors at 1, 8 and 32 concurrent
  conversations (closed loop), after an unmeasured warm-up. Each concurrent worker is one
  patient: it holds one conversation (its own sender id) at a time and sends realistic messages
  in a loop, the next as soon as the reply is in;
- open loop: messages arriving at --open-rate per second (Poisson arrivals, default 40) from
  many conversations, whatever the replies' speed, as patients send them; p95 latency and errors;
- memory (RSS, VmRSS summed over each service's process tree; every Rasa process and the router
  included) after warm-up, the most seen during the load, and at the end;
- where a turn's time goes: CPU and wall milliseconds per step (NLU components, policies,
  tracker store, action server call, reply validation) in the real Rasa server, over --probe
  messages sent one at a time (bot/probe.py), and each server's CPU per message;
- full training time: `rasa train --force` of the current data into a temporary folder, with an
  empty temporary training cache (skip with --skip-training);
- the insights report (`python -m bot report`, what `make report` runs) over the tracker store the
  load filled, topped up with sample conversations (bot/report/sample.py, through Rasa's tracker
  store API) to --report-conversations (default 5,000; none added with --quick).

Prints a markdown report and writes it to docs/benchmarks.md (overwritten by every run). The whole
run is bounded by --time-limit; past it, what is left is skipped and the report says so. Exit 0
even when a target is missed (it is a benchmark), unless --check is given.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from bot import PROJECT_ROOT
from bot.settings import CONVERSATIONS_DB

DEFAULT_OUTPUT = PROJECT_ROOT / "docs" / "benchmarks.md"
DEFAULT_CONCURRENCY = (1, 8, 32)
DEFAULT_MESSAGES = 5000
QUICK_MESSAGES = 300
DEFAULT_WARMUP = 100
QUICK_WARMUP = 16
DEFAULT_PROBE = 200
QUICK_PROBE = 40
DEFAULT_OPEN_RATE = 40.0
DEFAULT_OPEN_MESSAGES = 2000
QUICK_OPEN_MESSAGES = 200
DEFAULT_TIME_LIMIT = 20 * 60.0
# generous: the message guard answers within BOT_REPLY_TIMEOUT (15 s) whatever happens
REQUEST_TIMEOUT = 60.0
PROC = Path("/proc")
MIB = 1024 * 1024

# Targets (for a 2-core machine, the default `make run` set-up with the SQLite store).
TARGET_CORES = 2
TARGET_P95_CONCURRENCY = 8  # the closed-loop level whose throughput is a target
TARGET_CLOSED_RATE = 60.0  # messages/s at 8 concurrent conversations
TARGET_OPEN_P95_S = 0.100  # p95 with messages arriving at DEFAULT_OPEN_RATE per second
TARGET_ONE_P50_S = 0.025  # p50 of one conversation at a time
TARGET_MESSAGES = 5000
TARGET_COLD_START_S = 30.0
TARGET_TRAINING_S = 180.0
TARGET_RSS_BYTES = 2 * 1024 * MIB  # all servers together
TARGET_REPORT_CONVERSATIONS = 5000
TARGET_REPORT_S = 10.0

# What patients send, as short conversations. Workers start at different scripts so that
# concurrent conversations are at different points; every script starts a new conversation.
SCRIPTS: tuple[tuple[str, ...], ...] = (
    ("hello", "does a bone marrow biopsy hurt?", "how do I prepare", "what are the risks",
     "thank you"),
    ("hi", "how is a bone marrow aspiration done?", "will it hurt?", "what about the biopsy?",
     "how long does it take?"),
    ("will it hurt?", "the biopsy", "what are the risks", "can I drive home afterwards?"),
    ("how do i prepare", "the aspiration", "do I need to fast before the test?",
     "when will I get my results?", "ok thanks"),
    ("good morning", "why do I need a bone marrow test?", "what is bone marrow?",
     "what are stem cells?", "bye"),
    ("what does an abnormal result mean?", "the biopsy", "can I have a shower afterwards?",
     "how much does it cost?"),
    ("is a bone marrow aspiration painful", "is there a risk of infection?",
     "will I be sedated?", "who does the test?", "thanks"),
    ("hey", "what happens during a bone marrow biopsy?", "how long will it hurt afterwards?",
     "when can I go back to work?", "what are your opening hours?"),
)


# --- statistics --------------------------------------------------------------------------------


def percentile(values: Iterable[float], p: float) -> float:
    """The p-th percentile (0-100), interpolating linearly between closest ranks (numpy's default
    method). Raises ValueError on no values."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is not between 0 and 100")
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Stats:
    count: int
    p50: float
    p95: float
    p99: float
    mean: float
    max: float
    rate: float  # messages per second over the phase's wall time


def summarize(latencies: Sequence[float], elapsed: float) -> Stats | None:
    """Latency percentiles (seconds) and throughput of one phase; None when nothing was sent."""
    if not latencies:
        return None
    return Stats(
        count=len(latencies),
        p50=percentile(latencies, 50),
        p95=percentile(latencies, 95),
        p99=percentile(latencies, 99),
        mean=sum(latencies) / len(latencies),
        max=max(latencies),
        rate=len(latencies) / elapsed if elapsed > 0 else 0.0,
    )


def split_messages(total: int, levels: Sequence[int]) -> list[int]:
    """Messages per concurrency level: the first level gets one share, every other level two
    (5,000 over 1/8/32 -> 1,000/2,000/2,000). The parts add up to ``total``."""
    if not levels:
        return []
    weights = [1] + [2] * (len(levels) - 1)
    parts = [total * w // sum(weights) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


# --- memory ------------------------------------------------------------------------------------


def read_status(pid: int, proc: Path = PROC) -> dict[str, str]:
    """/proc/<pid>/status as a dict; empty when the process is gone."""
    try:
        text = (proc / str(pid) / "status").read_text(errors="replace")
    except OSError:
        return {}
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def _kib(value: str | None) -> int:
    """'123456 kB' -> 123456; 0 when absent (kernel threads and zombies have no VmRSS)."""
    if not value:
        return 0
    try:
        return int(value.split()[0])
    except (ValueError, IndexError):
        return 0


def rss_bytes(pid: int, proc: Path = PROC) -> int:
    return _kib(read_status(pid, proc).get("VmRSS")) * 1024


def process_tree(pid: int, proc: Path = PROC) -> list[int]:
    """``pid`` and all its descendants (from the PPid of every /proc/<pid>/status)."""
    children: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        parent = read_status(int(entry.name), proc).get("PPid")
        if parent and parent.isdigit():
            children.setdefault(int(parent), []).append(int(entry.name))
    if not (proc / str(pid)).exists():
        return []
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        if current in tree:
            continue
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def cpu_seconds(pid: int, proc: Path = PROC) -> float:
    """User + system CPU time of a process and all its children alive now, in seconds."""
    total = 0
    for p in process_tree(pid, proc):
        try:
            fields = (proc / str(p) / "stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        except (OSError, ValueError, IndexError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def pss_bytes(pid: int, proc: Path = PROC) -> int:
    """Proportional set size: resident memory with each page shared by N processes counted 1/N
    (/proc/<pid>/smaps_rollup); 0 when unreadable."""
    try:
        for line in (proc / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return _kib(line.split(":", 1)[1].strip()) * 1024
    except OSError:
        pass
    return 0


def _tree_sum(size: Callable[[int, Path], int], pid: int, proc: Path) -> int:
    return sum(size(p, proc) for p in process_tree(pid, proc))


def tree_pss_bytes(pid: int, proc: Path = PROC) -> int:
    return _tree_sum(pss_bytes, pid, proc)


def tree_rss_bytes(pid: int, proc: Path = PROC) -> int:
    """Resident memory of a process and all its children, in bytes."""
    return _tree_sum(rss_bytes, pid, proc)


# --- the machine -------------------------------------------------------------------------------


def machine_info(proc: Path = PROC) -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in (proc / "cpuinfo").read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in (proc / "meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{_kib(line.partition(':')[2]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    from importlib.metadata import PackageNotFoundError, version

    def package(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    cores = str(os.cpu_count() or "unknown")
    if usable is not None and str(usable) != cores:
        cores += f" ({usable} usable by this process)"
    return {
        "CPU": cpu,
        "cores": cores,
        "memory": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Rasa": package("rasa"),
        "Rasa SDK": package("rasa-sdk"),
        "installed packages": lock_check(),
    }


def lock_check(lock: Path = PROJECT_ROOT / "requirements.lock") -> str:
    """Whether the packages this run uses are exactly requirements.lock's: figures from another
    set are not what a user who installs from the lock gets."""
    from importlib.metadata import PackageNotFoundError, version

    def canonical(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    pinned: dict[str, str] = {}
    try:
        for line in lock.read_text(encoding="utf-8").splitlines():
            name, sep, wanted = line.split("#", 1)[0].strip().partition("==")
            if sep:
                pinned[canonical(name)] = wanted.strip()
    except OSError:
        return "requirements.lock not found"
    differ = []
    for name, wanted in sorted(pinned.items()):
        try:
            got = version(name)
        except PackageNotFoundError:
            got = "missing"
        if got != wanted:
            differ.append(f"{name} {got} (lock: {wanted})")
    if differ:
        return f"DIFFER from requirements.lock: {', '.join(differ[:5])}" + (
            f" and {len(differ) - 5} more" if len(differ) > 5 else "")
    return f"as requirements.lock ({len(pinned)} packages)"


def git_commit() -> str:
    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=20
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    return commit


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


# --- the report --------------------------------------------------------------------------------


@dataclass
class Phase:
    """One load level: ``concurrency`` conversations at a time, ``planned`` messages in all."""

    concurrency: int
    planned: int
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    issued: int = 0
    conversations: int = 0
    stopped_early: bool = False
    rate: float = 0.0  # open loop: arrivals per second (0: closed loop)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def stats(self) -> Stats | None:
        return summarize(self.latencies, self.elapsed)

    def record_error(self, kind: str, message: str) -> None:
        self.errors[kind] += 1
        if len(self.examples) < 3:
            self.examples.append(f"{kind} for {message!r}")




@dataclass
class Report:
    machine: dict[str, str] = field(default_factory=dict)
    date: str = ""
    commit: str = ""
    options: str = ""
    load_before: str = ""
    load_after: str = ""
    model: str = ""
    ready_s: float | None = None
    cold_start_s: float | None = None
    warmup: Phase | None = None
    phases: list[Phase] = field(default_factory=list)
    open_loop: Phase | None = None
    # service name -> bytes, at each moment
    rss_after_warmup: dict[str, int] = field(default_factory=dict)
    rss_peak_load: dict[str, int] = field(default_factory=dict)
    rss_end: dict[str, int] = field(default_factory=dict)
    # the same at the end as PSS (shared pages divided among the processes sharing them)
    pss_end: dict[str, int] = field(default_factory=dict)
    training_s: float | None = None
    training_note: str = ""
    # the per-step probe: messages sent one at a time, rows of bot.probe.table, and CPU ms per
    # message of each server over those messages
    probe: Phase | None = None
    probe_rows: list[tuple[str, float, float, float, float]] = field(default_factory=list)
    probe_cpu_ms: dict[str, float] = field(default_factory=dict)
    report_s: float | None = None  # the insights report (python -m bot report)
    report_conversations: int = 0
    report_note: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def messages(self) -> int:
        return sum(len(p.latencies) for p in self.phases)

    @property
    def errors(self) -> int:
        return sum(p.error_count for p in self.phases)

    def phase(self, concurrency: int) -> Phase | None:
        return next((p for p in self.phases if p.concurrency == concurrency), None)

    def total_rss_max(self) -> int | None:
        """The most all servers together used at one moment."""
        seen = [sum(d.values()) for d in (self.rss_after_warmup, self.rss_end) if d]
        return max(seen) if seen else None


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    status: str  # PASS, MISS, INCOMPLETE or NOT MEASURED
    detail: str = ""


def at_most(target: str, value: float | None, limit: float, unit: str, scale: float = 1.0,
            digits: int = 1) -> Verdict:
    """PASS/MISS of ``value <= limit``, with the margin; values are shown multiplied by
    ``scale`` in ``unit``."""
    if value is None:
        return Verdict(target, "-", "NOT MEASURED")
    shown = f"{value * scale:.{digits}f} {unit}"
    margin = abs(value - limit) * scale
    percent = abs(value - limit) / limit * 100 if limit else 0.0
    if value <= limit:
        return Verdict(target, shown, "PASS",
                       f"{margin:.{digits}f} {unit} ({percent:.0f}%) under the target")
    return Verdict(target, shown, "MISS",
                   f"over by {margin:.{digits}f} {unit} (+{percent:.0f}%)")


def at_least(target: str, value: float | None, limit: float, unit: str) -> Verdict:
    if value is None:
        return Verdict(target, "-", "NOT MEASURED")
    shown = f"{value:.1f} {unit}"
    percent = abs(value - limit) / limit * 100 if limit else 0.0
    if value >= limit:
        return Verdict(target, shown, "PASS", f"{value - limit:.1f} {unit} ({percent:.0f}%) over")
    return Verdict(target, shown, "MISS", f"short by {limit - value:.1f} {unit} (-{percent:.0f}%)")


def verdicts(report: Report) -> list[Verdict]:
    closed = report.phase(TARGET_P95_CONCURRENCY)
    closed_stats = closed.stats() if closed else None
    one = report.phase(1)
    one_stats = one.stats() if one else None
    open_stats = report.open_loop.stats() if report.open_loop else None
    result = [
        at_least(f"closed loop, {TARGET_P95_CONCURRENCY} conversations: >= "
                 f"{TARGET_CLOSED_RATE:.0f} messages/s",
                 closed_stats.rate if closed_stats else None, TARGET_CLOSED_RATE, "msg/s"),
        at_most(f"open loop, {DEFAULT_OPEN_RATE:.0f} messages/s arriving: p95 <= "
                f"{TARGET_OPEN_P95_S * 1000:.0f} ms",
                open_stats.p95 if open_stats else None, TARGET_OPEN_P95_S, "ms", scale=1000),
        at_most(f"one conversation: p50 <= {TARGET_ONE_P50_S * 1000:.0f} ms",
                one_stats.p50 if one_stats else None, TARGET_ONE_P50_S, "ms", scale=1000),
    ]
    if report.open_loop is not None:
        errors = report.open_loop.error_count
        result.append(Verdict("open loop: 0 errors", f"{errors} errors in "
                              f"{len(report.open_loop.latencies):,} messages",
                              "MISS" if errors else "PASS"))
    target = f"0 errors over {TARGET_MESSAGES:,} messages"
    sent, errors = report.messages, report.errors
    if not report.phases or sent == 0:
        result.append(Verdict(target, "-", "NOT MEASURED"))
    elif errors:
        result.append(Verdict(target, f"{errors:,} errors in {sent:,} messages", "MISS",
                              f"{errors:,} errors too many ({errors / sent:.2%} of messages)"))
    elif sent < TARGET_MESSAGES:
        result.append(Verdict(target, f"0 errors in {sent:,} messages", "INCOMPLETE",
                              f"no errors, but {TARGET_MESSAGES - sent:,} messages short"))
    else:
        result.append(Verdict(target, f"0 errors in {sent:,} messages", "PASS"))
    result += [
        at_most(f"cold start to first answer <= {TARGET_COLD_START_S:.0f} s",
                report.cold_start_s, TARGET_COLD_START_S, "s"),
        at_most(f"full training <= {TARGET_TRAINING_S / 60:.0f} min",
                report.training_s, TARGET_TRAINING_S, "s"),
        at_most(f"RSS of all servers <= {TARGET_RSS_BYTES / 1024 / MIB:.0f} GiB",
                report.total_rss_max(), TARGET_RSS_BYTES, "MiB", scale=1 / MIB, digits=0),
    ]
    target = (f"insights report for {TARGET_REPORT_CONVERSATIONS:,} conversations <= "
              f"{TARGET_REPORT_S:.0f} s")
    verdict = at_most(target, report.report_s, TARGET_REPORT_S, "s")
    if report.report_s is not None and report.report_conversations < TARGET_REPORT_CONVERSATIONS:
        verdict = Verdict(target, f"{report.report_s:.1f} s", "INCOMPLETE",
                          f"only {report.report_conversations:,} conversations in the store")
    result.append(verdict)
    return result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def _mib(value: int | None) -> str:
    return "-" if value is None else f"{value / MIB:.0f}"


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def render_markdown(report: Report) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (`python -m tools.bench`) against the real servers (action "
        "server, Rasa server, web page server) on loopback. Every run overwrites this file.",
        "Options: `--quick` (a short run), `--messages N`, `--skip-training`, `--check` (exit 1 "
        "when a target is missed), `--time-limit S` (default 20 min); "
        "`python -m tools.bench --help`. The figures before and after each performance change, "
        "and the per-step table then and now, are kept in docs/performance.md.",
        "",
        f"- date: {report.date}",
        f"- commit: {report.commit}",
        f"- run: `{f'python -m tools.bench {report.options}'.strip()}`",
        f"- model: `{report.model}`" if report.model else "- model: -",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in report.machine.items()),
        f"| load average (1/5/15 min) before | {report.load_before} |",
        f"| load average (1/5/15 min) after | {report.load_after} |",
        "",
        "## REST latency",
        "",
        "POST /webhooks/rest/webhook, one request per message, measured at the client from "
        "sending the request to reading the whole reply. Percentiles are over every measured "
        "message, errors included.",
        "",
        "| concurrent conversations | messages | conversations | messages/s | p50 (ms) "
        "| p95 (ms) | p99 (ms) | max (ms) | errors |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for phase in report.phases:
        stats = phase.stats()
        sent = f"{len(phase.latencies):,}"
        if phase.stopped_early:
            sent += f" of {phase.planned:,}"
        if stats is None:
            lines.append(f"| {phase.concurrency} | {sent} | 0 | - | - | - | - | - | - |")
            continue
        lines.append(
            f"| {phase.concurrency} | {sent} | {phase.conversations:,} | {stats.rate:.1f} "
            f"| {_ms(stats.p50)} | {_ms(stats.p95)} | {_ms(stats.p99)} | {_ms(stats.max)} "
            f"| {phase.error_count} |"
        )
    if not report.phases:
        lines.append("| - | not measured | | | | | | | |")
    lines.append(f"| **all** | **{report.messages:,}** | | | | | | | **{report.errors}** |")
    if report.open_loop is not None:
        phase, stats = report.open_loop, report.open_loop.stats()
        sent = f"{len(phase.latencies):,}" + (
            f" of {phase.planned:,}" if phase.stopped_early else "")
        lines += [
            "",
            f"Open loop: messages arriving at {phase.rate:.0f} per second (Poisson), from "
            "conversations that are not waiting for a reply, or new ones.",
            "",
            "| arriving per second | messages | conversations | p50 (ms) | p95 (ms) | p99 (ms) "
            "| max (ms) | errors |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {phase.rate:.0f} | {sent} | {phase.conversations:,} | "
            + (f"{_ms(stats.p50)} | {_ms(stats.p95)} | {_ms(stats.p99)} | {_ms(stats.max)} "
               if stats else "- | - | - | - ")
            + f"| {phase.error_count} |",
        ]
    errors = Counter()
    for phase in report.phases:
        errors.update(phase.errors)
    if errors:
        lines += ["", "Errors by kind: " + ", ".join(f"{k}: {v}" for k, v in errors.items())
                  + ". Examples: "
                  + "; ".join(e for p in report.phases for e in p.examples[:2]) + "."]
    lines += [
        "",
        "## Memory (RSS, MiB)",
        "",
        "VmRSS from /proc/<pid>/status, summed over each service's process tree (children too).",
        "",
        "| service | after warm-up | most during the load | at the end |",
        "|---|---:|---:|---:|",
    ]
    names = list(dict.fromkeys([*report.rss_after_warmup, *report.rss_end]))
    for name in names:
        lines.append(
            f"| {name} | {_mib(report.rss_after_warmup.get(name))} "
            f"| {_mib(report.rss_peak_load.get(name))} | {_mib(report.rss_end.get(name))} |"
        )
    if names:
        lines.append(
            f"| **all servers** | **{_mib(sum(report.rss_after_warmup.values()))}** | "
            f"| **{_mib(sum(report.rss_end.values()))}** |")
    if report.pss_end:
        lines += [
            "",
            f"Proportional set size (PSS) of all servers at the end: "
            f"**{_mib(sum(report.pss_end.values()))} MiB**. A page that several processes share "
            "(the two Rasa processes map the same libraries, TensorFlow's 1 GB among them) counts "
            "once in PSS and once per process in the VmRSS sum above, and how many of those "
            "library pages are resident depends on the page cache: the target is checked on the "
            "VmRSS sum, the stricter figure.",
        ]
    lines += ["", *_probe_section(report)]
    lines += [
        "",
        "## Start-up and training",
        "",
        "| | |",
        "|---|---|",
        f"| cold start: servers started -> first successful REST answer | "
        f"{_s(report.cold_start_s)} |",
        f"| of which: servers started -> all three answer their health checks | "
        f"{_s(report.ready_s)} |",
        f"| full training (`rasa train --force`, empty cache) | "
        f"{_s(report.training_s)}{' ' + report.training_note if report.training_note else ''} |",
        "",
        "## Insights report",
        "",
        "`python -m bot report` (what `make report` runs: the last 30 days, HTML with inline SVG "
        "charts and the CSV files) over the SQLite tracker store of this run, from starting the "
        "process to its exit.",
        "",
        "| conversations in the store | time |",
        "|---:|---:|",
        f"| {report.report_conversations:,} | {_s(report.report_s)}"
        f"{' ' + report.report_note if report.report_note else ''} |",
        "",
        "## Targets (for a 2-core machine)",
        "",
        "| target | measured | result | |",
        "|---|---|---|---|",
        *(f"| {v.target} | {v.measured} | **{v.status}** | {v.detail} |"
          for v in verdicts(report)),
        "",
        "## Notes",
        "",
        *(f"- {note}" for note in report.notes),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _probe_section(report: Report) -> list[str]:
    from bot.probe import markdown

    lines = ["## Where a turn's time goes (per step, one message at a time)", ""]
    if report.probe is None or not report.probe_rows:
        return lines + ["Not measured (`--probe 0`, the time limit, or the servers failed)."]
    sent = len(report.probe.latencies)
    stats = report.probe.stats()
    lines += [
        f"{sent} messages, one conversation at a time (p50 {_ms(stats.p50) if stats else '-'} "
        f"ms at the client, {report.probe.error_count} errors), timed inside the real Rasa "
        "server by bot/probe.py. Per message: CPU of the server's event loop thread in each "
        "step, and wall time. \"(total)\" steps contain others; graph nodes are the NLU "
        "components and policies; \"graph overhead\" is the graph runner's own time.",
        "",
        *markdown(report.probe_rows),
        "",
        "CPU per message of each server (process tree, user + system, over these messages): "
        + ", ".join(f"{name} {ms:.1f} ms" for name, ms in report.probe_cpu_ms.items()) + ".",
    ]
    return lines


# --- the load ----------------------------------------------------------------------------------


def _is_error(status: int, body: bytes, apology: str) -> str | None:
    """The kind of error of one REST answer, or None when it is a proper answer."""
    if status != 200:
        return f"HTTP {status}"
    try:
        replies = json.loads(body or b"null")
    except ValueError:
        return "not JSON"
    if not isinstance(replies, list) or not replies:
        return "empty reply"
    if any(isinstance(r, dict) and r.get("text") == apology for r in replies):
        return "apology (action failed or too slow)"
    return None


async def _send(session, url: str, phase: Phase, sender: str, text: str, apology: str) -> None:
    """One message over REST: its latency, and its error if the answer is not a proper one."""
    import aiohttp

    start = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as resp:
            body = await resp.read()
        kind = _is_error(resp.status, body, apology)
    except asyncio.TimeoutError:
        kind = "timeout"
    except (aiohttp.ClientError, OSError) as exc:
        kind = type(exc).__name__
    phase.latencies.append(time.perf_counter() - start)
    if kind:
        phase.record_error(kind, text)


async def _worker(session, url: str, phase: Phase, index: int, deadline: float,
                  apology: str, tag: str) -> None:

    script = index % len(SCRIPTS)
    while True:
        sender = f"bench-{tag}-c{phase.concurrency}-w{index}-{uuid.uuid4().hex[:8]}"
        started_conversation = False
        for text in SCRIPTS[script % len(SCRIPTS)]:
            if phase.issued >= phase.planned or time.monotonic() >= deadline:
                return
            phase.issued += 1
            if not started_conversation:
                phase.conversations += 1
                started_conversation = True
            await _send(session, url, phase, sender, text, apology)
        script += 1


async def _run_phase(url: str, phase: Phase, deadline: float, apology: str, tag: str) -> None:
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.perf_counter()
        workers = [
            asyncio.ensure_future(_worker(session, url, phase, i, deadline, apology, tag))
            for i in range(phase.concurrency)
        ]
        try:
            # the hard limit: requests still open a little after the deadline are abandoned
            await asyncio.wait_for(
                asyncio.gather(*workers), max(1.0, deadline - time.monotonic() + 5)
            )
        except asyncio.TimeoutError:
            phase.stopped_early = True
        phase.elapsed = time.perf_counter() - started
    if len(phase.latencies) < phase.planned:
        phase.stopped_early = True


async def _run_open_phase(url: str, phase: Phase, deadline: float, apology: str) -> None:
    """Messages arriving at ``phase.rate`` per second (exponential gaps, fixed seed), each
    continuing a conversation that is not waiting for a reply or starting a new one: the load
    patients make, which does not slow down when the bot does."""
    import aiohttp

    rng = random.Random(20261130)
    idle: list[tuple[str, int, int]] = []  # (sender, script, next line) not awaiting a reply
    counter = 0

    async def send(session, sender: str, script: int, line: int) -> None:
        await _send(session, url, phase, sender, SCRIPTS[script][line], apology)
        if line + 1 < len(SCRIPTS[script]):
            idle.append((sender, script, line + 1))

    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.perf_counter()
        due = started
        tasks = []
        while phase.issued < phase.planned and time.monotonic() < deadline:
            due += rng.expovariate(phase.rate)
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            if idle and rng.random() < 0.7:
                sender, script, line = idle.pop(rng.randrange(len(idle)))
            else:
                counter += 1
                phase.conversations += 1
                sender, script, line = f"bench-open-{counter}-{uuid.uuid4().hex[:8]}", \
                    rng.randrange(len(SCRIPTS)), 0
            phase.issued += 1
            tasks.append(asyncio.ensure_future(send(session, sender, script, line)))
        try:
            await asyncio.wait_for(asyncio.gather(*tasks),
                                   max(1.0, deadline - time.monotonic() + 5))
        except asyncio.TimeoutError:
            phase.stopped_early = True
        phase.elapsed = time.perf_counter() - started
    if len(phase.latencies) < phase.planned:
        phase.stopped_early = True


class MemorySampler:
    """Largest process-tree RSS of each service seen while the load runs (every 0.5 s)."""

    def __init__(self, pids: dict[str, int]):
        self.pids = pids
        self.peak: dict[str, int] = {}

    def sample(self) -> dict[str, int]:
        now = {name: tree_rss_bytes(pid) for name, pid in self.pids.items()}
        for name, value in now.items():
            self.peak[name] = max(self.peak.get(name, 0), value)
        return now

    async def run(self, interval: float = 0.5) -> None:
        while True:
            await asyncio.get_running_loop().run_in_executor(None, self.sample)
            await asyncio.sleep(interval)


async def _run_load(url: str, phases: list[Phase], deadline: float, apology: str,
                    sampler: MemorySampler, open_loop: Phase | None = None) -> None:
    task = asyncio.ensure_future(sampler.run())
    try:
        if open_loop is not None and time.monotonic() < deadline:
            print(f"bench: open loop, {open_loop.planned:,} messages arriving at "
                  f"{open_loop.rate:.0f} per second", flush=True)
            await _run_open_phase(url, open_loop, deadline, apology)
            stats = open_loop.stats()
            if stats:
                print(f"bench:   p50 {_ms(stats.p50)} ms, p95 {_ms(stats.p95)} ms, "
                      f"p99 {_ms(stats.p99)} ms, {open_loop.error_count} errors", flush=True)
        for phase in phases:
            if time.monotonic() >= deadline:
                phase.stopped_early = True
                continue
            print(f"bench: {phase.planned:,} messages at {phase.concurrency} concurrent "
                  "conversations", flush=True)
            await _run_phase(url, phase, deadline, apology, "load")
            stats = phase.stats()
            if stats:
                print(f"bench:   p50 {_ms(stats.p50)} ms, p95 {_ms(stats.p95)} ms, "
                      f"p99 {_ms(stats.p99)} ms, {stats.rate:.1f} messages/s, "
                      f"{phase.error_count} errors", flush=True)
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass


def run_probe(url: str, report: Report, planned: int, deadline: float, apology: str,
              pids: dict[str, int], path: Path) -> None:
    """``planned`` messages one at a time, recorded by bot/probe.py in the Rasa server."""
    from bot import probe

    print(f"bench: {planned} messages one at a time, timed per step in the Rasa server",
          flush=True)
    report.probe = Phase(concurrency=1, planned=planned)
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    asyncio.run(_run_phase(url, report.probe, deadline, apology, "probe"))
    sent = len(report.probe.latencies)
    if sent:
        report.probe_cpu_ms = {name: (cpu_seconds(pid) - before[name]) * 1000 / sent
                               for name, pid in pids.items()}
    report.probe_rows = probe.table(probe.read(path))


def first_answer(url: str, apology: str, deadline: float) -> bool:
    """Send one message until a proper answer comes back (or the deadline passes)."""
    body = json.dumps({"sender": f"bench-cold-{uuid.uuid4().hex[:8]}",
                       "message": "does a bone marrow biopsy hurt?"}).encode()
    while time.monotonic() < deadline:
        request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                if _is_error(response.status, response.read(), apology) is None:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    return False


# --- training ----------------------------------------------------------------------------------


def time_training(deadline: float, workdir: Path) -> tuple[float | None, str]:
    """`rasa train --force` of the current data into ``workdir``, with an empty training cache
    there (RASA_CACHE_DIRECTORY), bounded by the deadline. Returns (seconds or None, note)."""
    from bot.settings import QUIET_ENV
    from bot.training import train_command

    remaining = deadline - time.monotonic()
    if remaining < 10:
        return None, "(not measured: the time limit was reached)"
    cache = workdir / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **QUIET_ENV, "RASA_CACHE_DIRECTORY": str(cache)}
    cmd = train_command(workdir / "models", "bench", force=True)
    log = workdir / "train.log"
    print(f"bench: timing a full training (log: {log})", flush=True)
    with log.open("wb") as handle:
        started = time.monotonic()
        process = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=handle,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
        try:
            code = process.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return None, (f"(stopped at the time limit after {time.monotonic() - started:.0f} s, "
                          "unfinished)")
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        took = time.monotonic() - started
    if code != 0 or not (workdir / "models" / "bench.tar.gz").exists():
        tail = " / ".join(log.read_text(errors="replace").splitlines()[-3:])
        return None, f"(failed with exit code {code} after {took:.0f} s: {tail})"
    return took, ""


# --- the run -----------------------------------------------------------------------------------


def _stored_conversations(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT COUNT(DISTINCT sender_id) FROM events").fetchone()[0]


def time_report(data_dir: Path, out: Path, conversations: int, deadline: float
                ) -> tuple[float | None, int, str]:
    """Seconds `python -m bot report` takes over the run's tracker store, first topped up to
    ``conversations`` with sample conversations; (None, ..., why) when it could not run."""
    db = data_dir / CONVERSATIONS_DB
    if not db.is_file():
        return None, 0, "(no tracker store: the servers did not run)"
    stored = _stored_conversations(db)
    if stored < conversations and time.monotonic() < deadline:
        from bot.report.sample import save, synthetic

        print(f"bench: adding {conversations - stored:,} sample conversations for the insights "
              "report", flush=True)
        save(db, synthetic(conversations - stored, time.time() - 29 * 86400))
        stored = _stored_conversations(db)
    if time.monotonic() >= deadline:
        return None, stored, "(skipped: time limit)"
    env = {**os.environ, "BOT_DATA_DIR": str(data_dir)}
    env.pop("DB_HOST", None)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "bot", "report", "--out", str(out)],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=max(deadline - started, 60))
    took = time.monotonic() - started
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return None, stored, f"(failed: {last})"
    print(f"bench: insights report over {stored:,} conversations in {took:.1f} s", flush=True)
    return took, stored, ""


@dataclass
class Options:
    messages: int
    warmup: int
    probe: int
    concurrency: tuple[int, ...]
    skip_training: bool
    time_limit: float
    model: Path | None
    output: Path | None
    check: bool
    argv: str
    report_conversations: int = TARGET_REPORT_CONVERSATIONS
    open_rate: float = DEFAULT_OPEN_RATE
    open_messages: int = DEFAULT_OPEN_MESSAGES


def parse_args(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m tools.bench", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--messages", type=int,
                        help=f"measured messages in all (default {DEFAULT_MESSAGES:,}; "
                             f"{QUICK_MESSAGES} with --quick), split 1:2:2 over the levels")
    parser.add_argument("--warmup", type=int,
                        help=f"unmeasured warm-up messages (default {DEFAULT_WARMUP}; "
                             f"{QUICK_WARMUP} with --quick)")
    parser.add_argument("--probe", type=int,
                        help=f"messages sent one at a time and timed per step in the Rasa "
                             f"server (default {DEFAULT_PROBE}; {QUICK_PROBE} with --quick; "
                             "0: skip)")
    parser.add_argument("--quick", action="store_true", help="a short run")
    parser.add_argument("--concurrency", default=",".join(map(str, DEFAULT_CONCURRENCY)),
                        help="concurrent conversations per level (default 1,8,32)")
    parser.add_argument("--open-rate", type=float, default=DEFAULT_OPEN_RATE,
                        help=f"open loop: messages arriving per second (default "
                             f"{DEFAULT_OPEN_RATE:.0f})")
    parser.add_argument("--open-messages", type=int,
                        help=f"open loop: messages in all (default {DEFAULT_OPEN_MESSAGES:,}; "
                             f"{QUICK_OPEN_MESSAGES} with --quick; 0: skip)")
    parser.add_argument("--skip-training", action="store_true",
                        help="do not time a full training")
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT,
                        help="seconds for the whole run; past it, the rest is skipped "
                             "(default 1200)")
    parser.add_argument("--model", type=Path,
                        help="a trained model to serve (default: bring the project's model up "
                             "to date, as `make run` does)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="where to write the markdown report (default docs/benchmarks.md)")
    parser.add_argument("--no-write", action="store_true", help="only print the report")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a target is missed")
    parser.add_argument("--report-conversations", type=int,
                        help="conversations in the store when the insights report is timed "
                             f"(default {TARGET_REPORT_CONVERSATIONS:,}; 0 with --quick: only "
                             "those of the load)")
    args = parser.parse_args(argv)
    try:
        levels = tuple(int(x) for x in args.concurrency.split(",") if x.strip())
    except ValueError:
        parser.error(f"--concurrency {args.concurrency!r}: comma-separated numbers")
    if not levels or min(levels) < 1:
        parser.error("--concurrency: at least one level, each at least 1")
    messages = args.messages if args.messages is not None else (
        QUICK_MESSAGES if args.quick else DEFAULT_MESSAGES)
    warmup = args.warmup if args.warmup is not None else (
        QUICK_WARMUP if args.quick else DEFAULT_WARMUP)
    probe = args.probe if args.probe is not None else (
        QUICK_PROBE if args.quick else DEFAULT_PROBE)
    if messages < 1 or warmup < 0 or probe < 0 or args.time_limit <= 0:
        parser.error("--messages must be at least 1, --warmup, --probe and --time-limit not "
                     "negative")
    return Options(
        messages=messages, warmup=warmup, probe=probe, concurrency=levels,
        skip_training=args.skip_training, time_limit=args.time_limit, model=args.model,
        output=None if args.no_write else args.output, check=args.check,
        argv=" ".join(sys.argv[1:] if argv is None else argv),
        report_conversations=args.report_conversations if args.report_conversations is not None
        else (0 if args.quick else TARGET_REPORT_CONVERSATIONS),
        open_rate=args.open_rate,
        open_messages=args.open_messages if args.open_messages is not None else (
            QUICK_OPEN_MESSAGES if args.quick else DEFAULT_OPEN_MESSAGES),
    )


def run(options: Options) -> Report:
    from bot.replies import render
    from bot.serve import StartError, free_port, running
    from bot.settings import Settings

    started = time.monotonic()
    deadline = started + options.time_limit
    report = Report(
        machine=machine_info(),
        date=datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        commit=git_commit(),
        options=options.argv,
        load_before=load_average(),
    )
    if options.model is None:
        from bot.prepare import prepare

        model = prepare()
    else:
        model = options.model
    report.model = str(model.relative_to(PROJECT_ROOT) if model.is_relative_to(PROJECT_ROOT)
                       else model)
    apology = render("action_failed")
    workdir = Path(tempfile.mkdtemp(prefix="bot-bench-"))
    settings = Settings(rasa_port=free_port(), action_port=free_port(), web_port=free_port(),
                        data_dir=workdir / "data")
    url = f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook"
    report.phases = [
        Phase(concurrency=c, planned=n)
        for c, n in zip(options.concurrency, split_messages(options.messages,
                                                            options.concurrency), strict=True)
    ]
    if options.open_messages > 0 and options.open_rate > 0:
        report.open_loop = Phase(concurrency=0, planned=options.open_messages,
                                 rate=options.open_rate)
    probe_file = workdir / "probe.jsonl"
    saved_probe = os.environ.get("BOT_PROBE_FILE")
    if options.probe:
        os.environ["BOT_PROBE_FILE"] = str(probe_file)  # bot/probe.py, in the Rasa server
    try:
        t0 = time.monotonic()
        try:
            with running(settings, model) as services:
                report.ready_s = time.monotonic() - t0
                if not first_answer(url, apology, deadline):
                    report.notes.append("No proper REST answer before the time limit.")
                    for phase in report.phases:
                        phase.stopped_early = True
                else:
                    report.cold_start_s = time.monotonic() - t0
                    print(f"bench: first answer {report.cold_start_s:.1f} s after starting "
                          "the servers", flush=True)
                    pids = {s.name: s.process.pid for s in services if s.process is not None}
                    sampler = MemorySampler(pids)
                    if options.warmup:
                        warm = max(1, min(TARGET_P95_CONCURRENCY, options.warmup))
                        report.warmup = Phase(concurrency=warm, planned=options.warmup)
                        print(f"bench: warm-up, {options.warmup} messages (not measured)",
                              flush=True)
                        asyncio.run(_run_phase(url, report.warmup, deadline, apology, "warmup"))
                    if options.probe:
                        run_probe(url, report, options.probe, deadline, apology, pids,
                                  probe_file)
                    report.rss_after_warmup = sampler.sample()
                    sampler.peak = {}
                    asyncio.run(_run_load(url, report.phases, deadline, apology, sampler,
                                          report.open_loop))
                    report.rss_peak_load = dict(sampler.peak)
                    report.rss_end = sampler.sample()
                    report.pss_end = {name: tree_pss_bytes(pid) for name, pid in pids.items()}
                    dead = [s.name for s in services if not s.alive()]
                    if dead:
                        report.notes.append(f"Stopped during the run: {', '.join(dead)}.")
        except StartError as exc:
            report.notes.append(f"The servers did not start: {exc}")
            for phase in report.phases:
                phase.stopped_early = True
        report.report_s, report.report_conversations, report.report_note = time_report(
            settings.data_dir, workdir / "report", options.report_conversations, deadline)
        if options.skip_training:
            report.training_note = "(skipped: --skip-training)"
        else:
            report.training_s, report.training_note = time_training(deadline, workdir / "train")
    finally:
        if saved_probe is None:
            os.environ.pop("BOT_PROBE_FILE", None)
        else:
            os.environ["BOT_PROBE_FILE"] = saved_probe
        shutil.rmtree(workdir, ignore_errors=True)
    report.load_after = load_average()
    _notes(report, options, time.monotonic() - started)
    return report


def _notes(report: Report, options: Options, took: float) -> None:
    notes = report.notes
    if any(p.stopped_early for p in report.phases):
        notes.append(
            f"Stopped early at the {options.time_limit:.0f} s time limit (or by a failure): "
            "the figures cover the messages that were sent."
        )
    if report.warmup is not None:
        notes.append(
            f"Warm-up: {len(report.warmup.latencies)} messages at "
            f"{report.warmup.concurrency} concurrent conversations before measuring, "
            f"{report.warmup.error_count} errors."
        )
    notes += [
        "Load: one asyncio/aiohttp client in the same machine (it shares the CPU with the "
        "servers). Each concurrent worker is one patient with one conversation (its own "
        "sender id) at a time; a conversation is a scripted visit of 4-5 messages (topic "
        "questions, follow-ups such as \"will it hurt?\" and \"the biopsy\", clinic questions, "
        "greetings), then the worker starts a new one, so trackers stay patient-sized.",
        "Errors: a status other than 200, an empty reply list, a reply that is the message "
        "guard's apology (action failed or no reply within BOT_REPLY_TIMEOUT), a timeout "
        f"({REQUEST_TIMEOUT:.0f} s) or a connection error.",
        "Servers: as `make run` starts them (bot.serve.running), with a fresh SQLite tracker "
        "store in a temporary folder, telemetry off.",
        "Cold start: with an already trained model and the operating system's file cache warm "
        "(the model and libraries were read recently); includes the action server, the Rasa "
        "server (model loading) and the web page server starting one after another.",
        "Training: `rasa train --force` from the current data, config and domain into a "
        "temporary folder, with RASA_CACHE_DIRECTORY set to an empty temporary folder (with "
        "--force Rasa 3.6 skips its training cache anyway). The project's spaCy pipeline "
        "(build/spacy_model) is built beforehand by `make prepare` and not included.",
        f"Load average (1/5/15 min) {report.load_before} before and {report.load_after} after "
        f"the run; whole run {took:.0f} s.",
    ]
    measured = [(p.concurrency, p.stats()) for p in report.phases if p.stats() is not None]
    if len(measured) >= 2:
        (low, first), (high, last) = measured[0], measured[-1]
        if high > low and last.rate < 1.5 * first.rate:
            notes.append(
                f"Throughput hardly grows with concurrency ({first.rate:.1f} messages/s at {low}, "
                f"{last.rate:.1f} at {high}): the Rasa server handles one message at a time, so "
                "a message waits for those of the other conversations and latency grows with "
                f"the number of conversations (at {low}: p50 {_ms(first.p50)} ms; at {high}: "
                f"p50 {_ms(last.p50)} ms)."
            )
    cores = os.cpu_count() or 0
    if cores != TARGET_CORES:
        notes.append(f"The targets are for a {TARGET_CORES}-core machine; this one has {cores}.")
    try:
        busy = os.getloadavg()[0] > cores if cores else False
    except OSError:
        busy = False
    if busy or _loaded(report.load_before, cores):
        notes.append("The machine was busy (load average above the core count) during the run: "
                     "other work competed for the CPU, so latencies and times are pessimistic.")


def _loaded(load: str, cores: int) -> bool:
    try:
        return cores > 0 and float(load.split("/")[0]) > cores
    except ValueError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    report = run(options)
    text = render_markdown(report)
    print("\n" + text, flush=True)
    if options.output is not None:
        options.output.parent.mkdir(parents=True, exist_ok=True)
        options.output.write_text(text, encoding="utf-8")
        print(f"bench: written to {options.output}", flush=True)
    if options.check and any(v.status == "MISS" for v in verdicts(report)):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
