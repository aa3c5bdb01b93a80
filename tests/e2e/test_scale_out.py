"""Production set-up (docs/deployment.md): PostgreSQL tracker store, Redis lock store, two Rasa
servers behind nginx and one separate action server, all real and started here on free loopback
ports in temporary directories. One conversation alternates between the two servers and keeps
its context; simultaneous messages of one conversation are serialised by the Redis lock.

The services come from Debian (scripts/install-services.sh, run by `make test`); a missing one
makes these tests fail, never skip.
"""

from __future__ import annotations

import asyncio
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from bot.knowledge import KnowledgeBase
from bot.serve import Service, render_endpoints, services, stop_group
from bot.settings import Settings
from bot.stores import ProductionConfigError, RedisTicketLockStore, production_endpoints
from tests.support.servers import RestClient, free_port

e2e = pytest.mark.e2e

KB = KnowledgeBase.load()
BIOPSY_HOW = KB.document("bone-marrow-biopsy").section("how_performed").text()
BIOPSY_FEEL = KB.document("bone-marrow-biopsy").section("sensation").text()
ASPIRATION_HOW = KB.document("bone-marrow-aspiration").section("how_performed").text()
ASPIRATION_FEEL = KB.document("bone-marrow-aspiration").section("sensation").text()

INSTALL_HINT = "run `bash scripts/install-services.sh` (make test does) as root"
START_TIMEOUT = 300  # seconds; two Rasa servers loading a model at once on a busy machine
# Passwords with characters that break naive URL building or shell quoting.
DB_PASSWORD = "s3cret p@ss:/w'rd"
REDIS_PASSWORD = "redis p@ss#1"


def said(replies: list[dict]) -> str:
    return "\n\n".join(r["text"] for r in replies if r.get("text"))


def sender() -> str:
    return f"scale-{uuid.uuid4().hex[:10]}"


# --- which endpoints.yml blocks the variables select (no services needed) ---------------------

FULL = {
    "DB_HOST": "db.internal", "DB_PORT": "6543", "DB_NAME": "bot", "DB_USER": "rasa",
    "DB_PASSWORD": "secret", "REDIS_HOST": "redis.internal", "REDIS_PORT": "6380",
    "REDIS_DB": "2", "REDIS_PASSWORD": "other-secret",
}


def test_nothing_set_keeps_the_embedded_defaults():
    assert production_endpoints({"BOT_DATA_DIR": "/x", "PATH": "/bin"}) is None


def test_the_lock_store_keeps_its_old_dotted_name():
    """endpoints.yml files written before bot/stores.py existed name bot.production."""
    import bot.production

    assert bot.production.RedisTicketLockStore is RedisTicketLockStore


def test_production_variables_select_postgres_and_redis():
    assert production_endpoints(FULL) == {
        "tracker_store": {
            "type": "bot.tracker_store.CachedSQLTrackerStore", "dialect": "postgresql",
            "url": "db.internal", "port": 6543,
            "db": "bot", "username": "rasa", "password": "${DB_PASSWORD}",
        },
        "lock_store": {
            "type": "bot.stores.RedisTicketLockStore", "url": "redis.internal",
            "port": 6380, "db": 2, "password": "${REDIS_PASSWORD}",
        },
    }


def test_defaults_for_ports_database_and_redis_db():
    blocks = production_endpoints({"DB_HOST": "db", "DB_USER": "rasa", "REDIS_HOST": "r"})
    assert blocks["tracker_store"]["port"] == 5432 and blocks["tracker_store"]["db"] == "rasa"
    assert "password" not in blocks["tracker_store"]
    assert blocks["lock_store"] == {
        "type": "bot.stores.RedisTicketLockStore", "url": "r", "port": 6379, "db": 1,
    }


def test_each_store_is_selected_on_its_own():
    assert list(production_endpoints({"DB_HOST": "db", "DB_USER": "u"})) == ["tracker_store"]
    assert list(production_endpoints({"REDIS_HOST": "r"})) == ["lock_store"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"DB_USER": "rasa", "DB_PASSWORD": "x"}, "DB_USER, DB_PASSWORD set but DB_HOST is not"),
        ({"DB_HOST": "db"}, "DB_HOST is set but DB_USER is not"),
        ({"DB_HOST": "db", "DB_USER": "u", "DB_PORT": "five"}, "DB_PORT='five' is not a number"),
        ({"DB_HOST": "postgresql://u:p@db/rasa", "DB_USER": "u"}, "DB_HOST='postgresql://"),
        ({"DB_HOST": "db:5432", "DB_USER": "u"}, "the port goes in DB_PORT"),
        ({"REDIS_PORT": "6379"}, "REDIS_PORT set but REDIS_HOST is not"),
        ({"REDIS_HOST": "r", "REDIS_PORT": "70000"}, "between 1 and 65535"),
        ({"REDIS_HOST": "r", "REDIS_DB": "-1"}, "REDIS_DB='-1' must be between"),
    ],
)
def test_half_configured_production_stops_with_a_message(values, message):
    with pytest.raises(ProductionConfigError) as err:
        production_endpoints(values)
    assert message in str(err.value)


def _rendered(tmp_path: Path) -> dict:
    return yaml.safe_load(render_endpoints(Settings(data_dir=tmp_path)).read_text())


def test_rendered_endpoints_default_to_sqlite_and_in_memory_locks(tmp_path, monkeypatch):
    for name in FULL:
        monkeypatch.delenv(name, raising=False)
    rendered = _rendered(tmp_path)
    assert rendered["tracker_store"] == {
        "type": "bot.tracker_store.CachedSQLTrackerStore", "dialect": "sqlite",
        "db": f"{tmp_path.resolve()}/conversations.db",
    }
    assert "lock_store" not in rendered  # Rasa's default: in memory


def test_rendered_endpoints_use_postgres_and_redis_and_hold_no_password(tmp_path, monkeypatch):
    for name, value in FULL.items():
        monkeypatch.setenv(name, value)
    path = render_endpoints(Settings(data_dir=tmp_path))
    rendered = yaml.safe_load(path.read_text())
    assert rendered["tracker_store"] == production_endpoints(FULL)["tracker_store"], (
        "bot.serve._render does not apply bot.stores.production_endpoints"
    )
    assert rendered["lock_store"] == production_endpoints(FULL)["lock_store"]
    assert rendered["action_endpoint"]  # the rest of the template is still there
    text = path.read_text()
    assert "secret" not in text  # neither password: Rasa reads them from its environment


# --- the services, each stopped whatever happens ---------------------------------------------


@dataclass
class Daemon:
    """A foreground server process in its own process group."""

    name: str
    process: subprocess.Popen
    log: Path
    stop_signal: int = signal.SIGTERM
    extra: dict = field(default_factory=dict)

    def alive(self) -> bool:
        return self.process.poll() is None

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 30) -> None:
        if self.alive():
            stop_group(self.process, timeout, self.stop_signal)


def wait_until(what: str, ready, daemon, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if ready():
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        if daemon is not None and not daemon.alive():
            pytest.fail(f"{what} stopped while starting:\n{daemon.tail()}")
        if time.monotonic() > deadline:
            tail = daemon.tail() if daemon is not None else ""
            pytest.fail(f"{what} did not start in {timeout:.0f} s:\n{tail}")
        time.sleep(0.3)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def service_dir(prefix: str, owner: str | None = None) -> Path:
    """A fresh directory under /tmp (pytest's own are not reachable by other users)."""
    path = Path(tempfile.mkdtemp(prefix=f"scale-out-{prefix}-"))
    path.chmod(0o755)
    if owner:
        entry = pwd.getpwnam(owner)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return path


@dataclass
class Postgres:
    port: int
    user: str
    password: str
    database: str

    def connect(self):
        import psycopg2

        return psycopg2.connect(
            host="127.0.0.1", port=self.port, user=self.user, password=self.password,
            dbname=self.database, connect_timeout=5,
        )


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    """A PostgreSQL server of its own: admin user with a password, and a `rasa` user owning the
    `conversations` database (what a clinic's database administrator would set up)."""
    import psycopg2

    def version(initdb: str) -> list[int]:  # /usr/lib/postgresql/<version>/bin/initdb
        return [int(x) for x in Path(initdb).parts[-3].split(".") if x.isdigit()]

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if not found:
        pytest.fail(f"PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
                    f"{INSTALL_HINT}")
    bindir = Path(found[-1]).parent
    run_as: dict = {}
    owner = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            entry = pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail(f"the system user 'postgres' is missing: {INSTALL_HINT}")
        owner = "postgres"
        run_as = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    home = service_dir("postgres", owner)
    try:
        admin_password = uuid.uuid4().hex
        pwfile = home / "admin-password"
        pwfile.write_text(admin_password + "\n")
        if owner:
            shutil.chown(pwfile, owner, owner)
        init = subprocess.run(
            [str(bindir / "initdb"), "-D", str(home / "data"), "--username", "admin",
             "--pwfile", str(pwfile), "--auth-host", "scram-sha-256", "--auth-local", "trust",
             "--encoding", "UTF8", "--no-locale", "--no-sync"],
            capture_output=True, text=True, cwd=home, **run_as,
        )
        assert init.returncode == 0, f"initdb failed:\n{init.stdout}\n{init.stderr}"
        port = free_port()
        log = home / "postgres.log"
        with log.open("ab") as handle:
            process = subprocess.Popen(
                [str(bindir / "postgres"), "-D", str(home / "data"), "-p", str(port),
                 "-k", str(home), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
                stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=home,
                start_new_session=True, **run_as,
            )
        # SIGINT: PostgreSQL's "fast" shutdown (SIGTERM would wait for clients to leave)
        daemon = Daemon("PostgreSQL", process, log, signal.SIGINT)
        try:
            admin = Postgres(port, "admin", admin_password, "postgres")
            wait_until("PostgreSQL", lambda: admin.connect().close() is None, daemon)
            connection = admin.connect()
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("CREATE ROLE rasa LOGIN PASSWORD %s", (DB_PASSWORD,))
                cursor.execute("CREATE DATABASE conversations OWNER rasa")
            connection.close()
            yield Postgres(port, "rasa", DB_PASSWORD, "conversations")
        finally:
            daemon.stop()
    except psycopg2.Error as exc:
        pytest.fail(f"setting up PostgreSQL failed: {exc}")
    finally:
        shutil.rmtree(home, ignore_errors=True)


@dataclass
class Redis:
    port: int
    password: str
    db: int = 3  # not Rasa's default, to show REDIS_DB is used

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, password=self.password,
                           db=self.db, socket_timeout=5)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[Redis]:
    binary = shutil.which("redis-server")
    if not binary:
        pytest.fail(f"Redis is not installed (no redis-server): {INSTALL_HINT}")
    home = service_dir("redis")
    port = free_port()
    log = home / "redis.log"
    try:
        with log.open("ab") as handle:
            process = subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--daemonize", "no", "--dir", str(home),
                 "--requirepass", REDIS_PASSWORD],
                stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        daemon = Daemon("Redis", process, log)
        try:
            server = Redis(port, REDIS_PASSWORD)
            wait_until("Redis", lambda: server.client().ping(), daemon)
            yield server
        finally:
            daemon.stop()
    finally:
        shutil.rmtree(home, ignore_errors=True)


@dataclass
class Cluster:
    a: RestClient
    b: RestClient
    ports: tuple[int, int]
    rasa: list[Service]
    data_dirs: list[Path]


def _wait_healthy(started: list[Service]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    waiting = list(started)
    while waiting:
        for service in list(waiting):
            if service.healthy():
                waiting.remove(service)
            elif not service.alive():
                pytest.fail(f"the {service.name} stopped:\n{service.tail()}")
        if waiting and time.monotonic() > deadline:
            pytest.fail(f"the {waiting[0].name} did not answer in {START_TIMEOUT} s:\n"
                        f"{waiting[0].tail()}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def cluster(trained_model, postgres, redis_server, tmp_path_factory) -> Iterator[Cluster]:
    """One action server and two Rasa servers sharing the PostgreSQL tracker store and the Redis
    lock store, each Rasa server with its own data dir (so nothing is shared through SQLite)."""
    action_port = free_port()
    production = {
        "DB_HOST": "127.0.0.1", "DB_PORT": str(postgres.port), "DB_NAME": postgres.database,
        "DB_USER": postgres.user, "DB_PASSWORD": postgres.password,
        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis_server.port),
        "REDIS_DB": str(redis_server.db), "REDIS_PASSWORD": redis_server.password,
        # the separate action server, as a deployment would name it
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
    }
    started: list[Service] = []
    with pytest.MonkeyPatch.context() as env:
        for name, value in production.items():
            env.setenv(name, value)
        try:
            base = tmp_path_factory.mktemp("scale-out")
            action_settings = Settings(action_port=action_port, data_dir=base / "actions")
            action = services(action_settings, trained_model)[0]
            instances = []
            for name in ("a", "b"):
                # one Rasa process per instance: nginx is the router here
                settings = Settings(rasa_port=free_port(), action_port=action_port,
                                    web_port=free_port(), data_dir=base / name, rasa_processes=1)
                server = services(settings, trained_model)[1]
                server.name = f"Rasa server {name.upper()}"
                endpoints = yaml.safe_load((settings.data_dir / "endpoints.yml").read_text())
                if endpoints.get("tracker_store", {}).get("dialect") != "postgresql" or (
                    endpoints.get("lock_store", {}).get("type")
                    != "bot.stores.RedisTicketLockStore"
                ):
                    pytest.fail(
                        "the rendered endpoints.yml does not use PostgreSQL and Redis: "
                        "bot.serve._render must apply bot.stores.production_endpoints\n"
                        f"{yaml.safe_dump(endpoints)}"
                    )
                assert postgres.password not in (settings.data_dir / "endpoints.yml").read_text()
                instances.append((settings, server))

            action.start({**os.environ, **action_settings.environment()})
            started.append(action)
            _wait_healthy([action])
            for settings, server in instances:  # both at once, as a deployment would
                server.start({**os.environ, **settings.environment()})
                started.append(server)
            _wait_healthy([server for _, server in instances])
            (sa, a), (sb, b) = instances
            yield Cluster(
                RestClient(f"http://127.0.0.1:{sa.rasa_port}/webhooks/rest/webhook"),
                RestClient(f"http://127.0.0.1:{sb.rasa_port}/webhooks/rest/webhook"),
                (sa.rasa_port, sb.rasa_port), [a, b], [sa.data_dir, sb.data_dir],
            )
        finally:
            for service in reversed(started):
                service.stop()


@dataclass
class Nginx:
    client: RestClient
    access_log: Path


NGINX_CONF = """\
worker_processes 1;
pid {home}/nginx.pid;
error_log {home}/error.log notice;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {home}/client_body;
    proxy_temp_path {home}/proxy;
    fastcgi_temp_path {home}/fastcgi;
    uwsgi_temp_path {home}/uwsgi;
    scgi_temp_path {home}/scgi;
    log_format upstream '$request_method $uri $status $upstream_addr';
    access_log {home}/access.log upstream;

    # round robin (nginx's default) over the Rasa servers
    upstream rasa {{
        server 127.0.0.1:{a};
        server 127.0.0.1:{b};
    }}
    server {{
        listen 127.0.0.1:{port};
        location /webhooks/ {{
            proxy_pass http://rasa;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 120s;
        }}
        location / {{ return 404; }}
    }}
}}
"""


@pytest.fixture(scope="module")
def nginx(cluster) -> Iterator[Nginx]:
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                       else None)
    if not binary:
        pytest.fail(f"nginx is not installed: {INSTALL_HINT}")
    home = service_dir("nginx")
    port = free_port()
    conf = home / "nginx.conf"
    conf.write_text(NGINX_CONF.format(home=home, port=port, a=cluster.ports[0],
                                      b=cluster.ports[1]))
    log = home / "error.log"
    try:
        check = subprocess.run([binary, "-t", "-p", f"{home}/", "-c", str(conf), "-e", str(log)],
                               capture_output=True, text=True)
        assert check.returncode == 0, f"nginx -t:\n{check.stderr}"
        process = subprocess.Popen(
            [binary, "-p", f"{home}/", "-c", str(conf), "-e", str(log), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        daemon = Daemon("nginx", process, log, signal.SIGQUIT)
        try:
            wait_until("nginx", lambda: port_open(port), daemon)
            yield Nginx(RestClient(f"http://127.0.0.1:{port}/webhooks/rest/webhook"),
                        home / "access.log")
        finally:
            daemon.stop()
    finally:
        shutil.rmtree(home, ignore_errors=True)


def stored_events(postgres: Postgres, conversation: str) -> list[tuple[str, dict, float]]:
    connection = postgres.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT type_name, data, timestamp FROM events WHERE sender_id = %s ORDER BY id",
                (conversation,),
            )
            return [(kind, json.loads(data), stamp) for kind, data, stamp in cursor.fetchall()]
    finally:
        connection.close()


def user_texts(events) -> list[str]:
    return [data["text"] for kind, data, _ in events if kind == "user"]


def turns(events) -> list[list[tuple[str, dict, float]]]:
    """The events split at each user message (the session start belongs to the first turn)."""
    result: list[list] = [[]]
    for event in events:
        if event[0] == "user" and any(e[0] == "user" for e in result[-1]):
            result.append([])
        result[-1].append(event)
    return result


def assert_turns_not_interleaved(events) -> None:
    """Each turn finished (the bot went back to listening) before the next one began, and no
    event of a later turn is older than one of an earlier turn."""
    split = turns(events)
    for number, turn in enumerate(split, 1):
        last = turn[-1]
        assert last[0] == "action" and last[1].get("name") == "action_listen", (
            f"turn {number} did not end by listening: {[(k, d.get('name')) for k, d, _ in turn]}"
        )
        assert sum(1 for kind, _, _ in turn if kind == "bot") >= 1, f"turn {number}: no reply"
    for earlier, later in zip(split, split[1:], strict=False):
        assert max(stamp for _, _, stamp in earlier) <= min(stamp for _, _, stamp in later), (
            "two turns of one conversation overlapped in time"
        )


def assert_nothing_in_sqlite(cluster: Cluster) -> None:
    for data_dir in cluster.data_dirs:
        assert not (data_dir / "conversations.db").exists(), data_dir


# --- the tests -------------------------------------------------------------------------------


@e2e
def test_one_conversation_alternating_between_two_servers_keeps_its_context(
    cluster, postgres
):
    who = sender()
    assert said(cluster.a.say(who, "how is a bone marrow biopsy done?")).startswith(BIOPSY_HOW)
    # server B knows "it" is the biopsy: the procedure slot came from PostgreSQL
    assert said(cluster.b.say(who, "will it hurt?")).startswith(BIOPSY_FEEL)
    # and server A sees that the topic is now how it feels
    assert said(cluster.a.say(who, "what about the aspiration?")).startswith(ASPIRATION_FEEL)

    events = stored_events(postgres, who)
    assert user_texts(events) == [
        "how is a bone marrow biopsy done?", "will it hurt?", "what about the aspiration?",
    ]
    assert_turns_not_interleaved(events)
    assert [kind for kind, _, _ in events].count("session_started") == 1
    assert_nothing_in_sqlite(cluster)


@e2e
def test_through_nginx_round_robin_the_conversation_holds(cluster, nginx, postgres):
    who = sender()
    before = len(nginx.access_log.read_text().splitlines()) if nginx.access_log.exists() else 0
    client = nginx.client
    assert said(client.say(who, "how is a bone marrow biopsy done?")).startswith(BIOPSY_HOW)
    assert said(client.say(who, "will it hurt?")).startswith(BIOPSY_FEEL)
    assert said(client.say(who, "what about the aspiration?")).startswith(ASPIRATION_FEEL)
    assert said(client.say(who, "how is it done?")).startswith(ASPIRATION_HOW)

    # nginx sent the turns to both servers in turn (its access log names the upstream)
    time.sleep(0.5)  # the log line is written after the response
    lines = nginx.access_log.read_text().splitlines()[before:]
    upstreams = [line.split()[-1] for line in lines if "/webhooks/rest/webhook" in line]
    assert len(upstreams) == 4, lines
    assert set(upstreams) == {f"127.0.0.1:{port}" for port in cluster.ports}, upstreams
    assert all(x != y for x, y in zip(upstreams, upstreams[1:], strict=False)), upstreams

    events = stored_events(postgres, who)
    assert user_texts(events) == [
        "how is a bone marrow biopsy done?", "will it hurt?", "what about the aspiration?",
        "how is it done?",
    ]
    assert_turns_not_interleaved(events)


@e2e
def test_simultaneous_messages_to_both_servers_are_serialised_by_the_redis_lock(
    cluster, postgres, redis_server
):
    who = sender()
    pairs = [
        ("does a bone marrow biopsy hurt?", BIOPSY_FEEL),
        ("how is a bone marrow aspiration done?", ASPIRATION_HOW),
    ]
    redis = redis_server.client()
    lock_writes_before = redis.info("commandstats").get("cmdstat_set", {}).get("calls", 0)
    rounds = 3
    for _ in range(rounds):
        barrier = threading.Barrier(2)
        answers: dict[int, object] = {}

        def send(index: int, client: RestClient, message: str, barrier=barrier, answers=answers):
            barrier.wait()
            try:
                answers[index] = said(client.say(who, message))
            except BaseException as exc:  # noqa: BLE001 - reported below
                answers[index] = exc

        clients = (cluster.a, cluster.b)
        threads = [
            threading.Thread(target=send, args=(i, clients[i], message))
            for i, (message, _) in enumerate(pairs)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        for index, (message, expected) in enumerate(pairs):
            answer = answers.get(index)
            assert isinstance(answer, str), f"{message!r}: {answer!r}"
            assert answer.startswith(expected), f"{message!r} got {answer[:200]!r}"

    events = stored_events(postgres, who)
    # every message stored exactly once per sending, none lost or duplicated
    assert Counter(user_texts(events)) == Counter({message: rounds for message, _ in pairs})
    assert_turns_not_interleaved(events)
    # the locks went through Redis, and none is left behind
    lock_writes = redis.info("commandstats").get("cmdstat_set", {}).get("calls", 0)
    assert lock_writes - lock_writes_before >= 2 * rounds
    assert redis.keys("lock:*") == []
    assert_nothing_in_sqlite(cluster)


@e2e
def test_the_redis_lock_lets_one_holder_in_at_a_time(redis_server):
    """Several "servers" (each its own lock store and connection) take the lock of one
    conversation over and over: tickets are never issued twice and holders never overlap."""
    conversation = sender()
    holds: list[tuple[float, float]] = []
    errors: list[BaseException] = []

    def server() -> None:
        store = RedisTicketLockStore(host="127.0.0.1", port=redis_server.port,
                                     db=redis_server.db, password=redis_server.password)

        async def turns() -> None:
            for _ in range(8):
                async with store.lock(conversation, wait_time_in_seconds=0.01):
                    entered = time.monotonic()
                    await asyncio.sleep(0.02)
                    holds.append((entered, time.monotonic()))

        try:
            asyncio.run(turns())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=server) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(holds) == 32
    holds.sort()
    for (_, left), (entered, _) in zip(holds, holds[1:], strict=False):
        assert entered >= left, "two holders of one conversation's lock at the same time"
    assert redis_server.client().keys("lock:*") == []
