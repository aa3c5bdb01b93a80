"""Keeping the servers up under `make run`: a server that stops (a crash, the OOM killer) is
started again, with exponential backoff, while the others keep answering.

- The action server down: the Rasa server keeps answering; the message guard (bot/guard.py)
  sends the apology with the clinic's phone until the action server is back.
- A Rasa process down: the router (bot/router.py) sends its conversations to the other process
  (one per core); they continue there because the trackers are in the shared tracker store. With
  a single process (RASA_PROCESSES=1) its port refuses connections while it starts again.
- The web server down: the page is unavailable until it is back; the chat itself is the Rasa
  server's.

A server that stops is restarted after 1 s, then 2, 4, ... up to 60 s while it keeps stopping;
once it has answered for 60 s, the next stop starts again at 1 s. Every stop is logged with its
reason (exit code or signal) and the last lines of the server's log in ``var/logs/run.log``, and
noted in the server's own log; the terminal gets one line per stop and per recovery.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol, TextIO

FIRST_DELAY = 1.0
MAX_DELAY = 60.0
STABLE_AFTER = 60.0  # answering this long: the next stop counts as the first again
TAIL_LINES = 30


class Supervised(Protocol):
    name: str
    log: Path

    def start(self, env: dict[str, str]) -> None: ...
    def alive(self) -> bool: ...
    def healthy(self) -> bool: ...
    def tail(self, lines: int = ...) -> str: ...
    def returncode(self) -> int | None: ...
    def pid(self) -> int | None: ...


def exit_reason(returncode: int | None) -> str:
    """'exited with code 1', 'killed by signal SIGKILL (9)'."""
    if returncode is None:
        return "still running"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = "unknown signal"
        return f"killed by signal {name} ({-returncode})"
    return f"exited with code {returncode}"


def backoff(stops: int) -> float:
    """Seconds to wait before restarting after the ``stops``-th stop in a row (1, 2, 4 ... 60)."""
    return min(FIRST_DELAY * 2 ** max(stops - 1, 0), MAX_DELAY)


@dataclass
class _Watch:
    service: Supervised
    up_since: float
    stops: int = 0  # in a row, without STABLE_AFTER seconds of answering in between
    stopped_at: float | None = None
    restart_at: float | None = None
    starting: bool = False
    started_at: float = 0.0


class Supervisor:
    """Call :meth:`check` every half second or so; it never blocks for long (at most one health
    check per restarting server)."""

    def __init__(self, services: Sequence[Supervised], env: dict[str, str], log: Path,
                 start_timeout: float = 180.0, clock: Callable[[], float] = time.monotonic,
                 out: TextIO | None = None) -> None:
        self.env = env
        self.log = log
        self.start_timeout = start_timeout
        self.clock = clock
        self.out = out if out is not None else sys.stderr
        now = clock()
        self.watches = [_Watch(service, up_since=now) for service in services]

    def check(self) -> None:
        now = self.clock()
        for watch in self.watches:
            service = watch.service
            if watch.restart_at is not None:
                if now >= watch.restart_at:
                    watch.restart_at = None
                    watch.starting = True
                    watch.started_at = now
                    service.start(self.env)
                    self._record(service, f"the {service.name} is starting again")
            elif not service.alive():
                self._stopped(watch, now)
            elif watch.starting:
                if service.healthy():
                    watch.starting = False
                    watch.up_since = now
                    gap = now - (watch.stopped_at or now)
                    back = f"the {service.name} is back ({gap:.0f} s after it stopped)"
                    self._record(service, back)
                    self._say(back)
                elif now - watch.started_at > self.start_timeout:
                    self._record(service, f"the {service.name} did not answer within "
                                          f"{self.start_timeout:.0f} s of starting; stopping it")
                    _kill_leftovers(service.pid())  # the next check restarts it
            elif watch.stops and now - watch.up_since >= STABLE_AFTER:
                watch.stops = 0

    def _stopped(self, watch: _Watch, now: float) -> None:
        service = watch.service
        reason = exit_reason(service.returncode())
        _kill_leftovers(service.pid())
        watch.stops += 1
        watch.starting = False
        watch.stopped_at = now
        delay = backoff(watch.stops)
        watch.restart_at = now + delay
        again = f" ({watch.stops} times in a row)" if watch.stops > 1 else ""
        summary = f"the {service.name} stopped{again}: {reason}; restarting it in {delay:.0f} s"
        self._record(service, summary, details=service.tail(TAIL_LINES))
        self._say(f"{summary} (details: {self.log})")

    def _record(self, service: Supervised, text: str, details: str = "") -> None:
        stamp = datetime.now().isoformat(sep=" ", timespec="seconds")
        entry = f"{stamp} {text}\n"
        if details:
            lines = "".join(f"    {line}\n" for line in details.splitlines())
            entry += f"  last lines of {service.log.name}:\n{lines}"
        for path, line in ((self.log, entry), (service.log, f"[run] {stamp} {text}\n")):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("a", encoding="utf-8") as handle:
                    handle.write(line)
            except OSError:
                pass

    def _say(self, text: str) -> None:
        print(f"run: {text}", file=self.out, flush=True)


def _kill_leftovers(pid: int | None) -> None:
    """A server runs in its own process group: whatever is left of it (children) goes too, so
    that nothing holds its port when it starts again."""
    if pid is None:
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
