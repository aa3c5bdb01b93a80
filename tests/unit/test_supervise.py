"""bot/supervise.py: a server that stops is restarted with backoff, and the stop is logged with
its reason. The real thing (servers killed under `python -m bot run`) is in test_serve.py."""

from __future__ import annotations

import io
import signal

from bot.supervise import MAX_DELAY, STABLE_AFTER, Supervisor, backoff, exit_reason


class FakeService:
    def __init__(self, name, log):
        self.name = name
        self.log = log
        self.running = True
        self.code = None
        self.answering = True
        self.starts = 0

    def start(self, env):
        self.starts += 1
        self.running, self.code, self.answering = True, None, False

    def alive(self):
        return self.running

    def healthy(self):
        return self.running and self.answering

    def tail(self, lines=30):
        return "last words\nTraceback: out of memory"

    def returncode(self):
        return self.code

    def pid(self):
        return None

    def crash(self, code):
        self.running, self.code = False, code


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def setup(tmp_path):
    clock, out = Clock(), io.StringIO()
    action = FakeService("action server", tmp_path / "actions.log")
    web = FakeService("web server", tmp_path / "web.log")
    supervisor = Supervisor([action, web], {}, tmp_path / "run.log", start_timeout=100,
                            clock=clock, out=out)
    return supervisor, action, web, clock, out


def test_exit_reasons():
    assert exit_reason(-signal.SIGKILL) == "killed by signal SIGKILL (9)"
    assert exit_reason(-signal.SIGSEGV) == "killed by signal SIGSEGV (11)"
    assert exit_reason(1) == "exited with code 1"
    assert exit_reason(0) == "exited with code 0"


def test_backoff_doubles_up_to_the_maximum():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(50) == MAX_DELAY


def test_a_stopped_server_is_restarted_after_the_delay_and_the_others_are_left_alone(tmp_path):
    supervisor, action, web, clock, out = setup(tmp_path)
    action.crash(-signal.SIGKILL)
    supervisor.check()
    assert action.starts == 0  # not at once: after the backoff
    clock.now += 0.5
    supervisor.check()
    assert action.starts == 0
    clock.now += 0.6
    supervisor.check()
    assert action.starts == 1 and web.starts == 0
    supervisor.check()  # alive, not answering yet
    action.answering = True
    clock.now += 3
    supervisor.check()
    said = out.getvalue()
    assert "run: the action server stopped: killed by signal SIGKILL (9); restarting it in 1 s" \
        in said
    assert "run: the action server is back (4 s after it stopped)" in said
    log = (tmp_path / "run.log").read_text()
    assert "the action server stopped: killed by signal SIGKILL (9)" in log
    assert "last lines of actions.log:\n    last words\n    Traceback: out of memory" in log
    assert "the action server is starting again" in log
    assert "[run]" in (tmp_path / "actions.log").read_text()
    assert not (tmp_path / "web.log").exists()


def crash_and_restart(supervisor, service, clock, code=1):
    service.crash(code)
    supervisor.check()
    delay = supervisor.watches[0].restart_at - clock.now
    clock.now += delay
    supervisor.check()  # restarted
    service.answering = True
    supervisor.check()  # back
    return delay


def test_repeated_stops_back_off_and_a_stable_run_resets_it(tmp_path):
    supervisor, action, _web, clock, out = setup(tmp_path)
    delays = [crash_and_restart(supervisor, action, clock) for _ in range(4)]
    assert delays == [1, 2, 4, 8]
    assert "stopped (4 times in a row): exited with code 1; restarting it in 8 s" in out.getvalue()
    clock.now += STABLE_AFTER
    supervisor.check()
    assert crash_and_restart(supervisor, action, clock) == 1


def test_a_restarted_server_that_never_answers_is_stopped_and_started_again(tmp_path):
    supervisor, action, _web, clock, _out = setup(tmp_path)
    action.crash(1)
    supervisor.check()
    clock.now += 1
    supervisor.check()
    assert action.starts == 1
    clock.now += 101
    supervisor.check()  # hanging: stopped (its process group killed)
    assert "did not answer within 100 s of starting; stopping it" in \
        (tmp_path / "run.log").read_text()
    action.crash(-signal.SIGKILL)
    supervisor.check()
    clock.now += 2
    supervisor.check()
    assert action.starts == 2
