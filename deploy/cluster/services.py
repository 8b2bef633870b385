"""Start and stop the cluster's processes on 127.0.0.1: PostgreSQL primary and streaming replica,
Redis, two gunicorn app nodes, HAProxy and Varnish. See docs/deployment.md.

Every process is started in its own process group and recorded (state.py); Cluster.stop() (also
called on exit, Ctrl-C and errors by cluster.py) stops them all, newest first: TERM, then KILL.
Everything lives in the cluster's state directory (one per checkout): data, logs, WAL archive,
base backups. Stopping never deletes it; only a fresh start does (Cluster.reset).
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from deploy.cluster.postgres import DB_NAME, HOST, PostgresMixin

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PY = sys.executable
STATE_MARKER = "CLUSTER_STATE"


@dataclass(frozen=True)
class Ports:
    varnish: int = 8150
    haproxy: int = 8151
    stats: int = 8152
    nodes: tuple[int, ...] = (8153, 8154)
    varnish_admin: int = 8155
    primary: int = 5442
    replica: int = 5443
    redis: int = 6390

    @classmethod
    def from_base(cls, base: int | None) -> "Ports":
        """The default ports, or nine in a row from base (HTTP layers, then PostgreSQL, Redis)."""
        if not base:
            return cls()
        b = int(base)
        return cls(b, b + 1, b + 2, (b + 3, b + 4), b + 5, b + 6, b + 7, b + 8)

    @classmethod
    def from_environment(cls) -> "Ports":
        return cls.from_base(int(os.environ["CLUSTER_PORT_BASE"]) if os.environ.get("CLUSTER_PORT_BASE") else None)

    @classmethod
    def from_record(cls, recorded: dict) -> "Ports":
        return cls(**{**recorded, "nodes": tuple(recorded["nodes"])})

    def every(self) -> list[int]:
        """All nine, PostgreSQL and Redis included."""
        return [*self.all(), self.primary, self.replica, self.redis]

    def all(self) -> list[int]:
        return [self.varnish, self.haproxy, self.stats, *self.nodes, self.varnish_admin]
        # PostgreSQL and Redis are checked when they start (their own error is clearer)


def render_vcl(haproxy_port) -> str:
    """varnish.vcl for this cluster, with the site's 503 pages (deploy/cluster/errors/) written into
    it as long strings: Varnish's worker runs as its own user, which may not read the checkout."""
    pages = {f"error_page_{lang}": (HERE / "errors" / f"503.{lang}.html").read_text() for lang in ("fr", "en")}
    if any('"}' in page for page in pages.values()):
        raise ValueError('an error page holds "}, which would end its VCL long string')
    return Template((HERE / "varnish.vcl").read_text()).substitute(haproxy_port=haproxy_port, **pages)


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


def wait_until(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")


def http_status(url: str, headers: dict | None = None, method: str = "GET", timeout: float = 3) -> int:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def ensure_packages() -> None:
    """Install HAProxy, Varnish and Redis from Debian when missing (needs root)."""
    missing = [
        pkg
        for cmd, pkg in (("haproxy", "haproxy"), ("varnishd", "varnish"), ("redis-server", "redis-server"))
        if not shutil.which(cmd) and not os.path.exists(f"/usr/sbin/{cmd}")
    ]
    if not missing:
        return
    if os.geteuid() != 0:
        raise RuntimeError(f"missing {', '.join(missing)}: apt-get install {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)


@dataclass
class Cluster(PostgresMixin):
    ports: Ports = field(default_factory=Ports.from_environment)
    workers: int = 2
    state: Path = field(default_factory=lambda: REPO / ".cluster")
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(40))
    pg_running: set[str] = field(default_factory=set)
    durable: bool = True  # False (the smoke run): PostgreSQL skips fsync, faster to build
    archive: bool = True  # WAL archiving for point-in-time recovery (pitr.py); off for the smoke run
    only_db: bool = False  # PostgreSQL primary + replica and Redis only (no site, no app, no proxies)

    # --- environment ---------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.ports.primary}/{DB_NAME}"

    @property
    def replica_url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.ports.replica}/{DB_NAME}"

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.ports.varnish}"

    def site_env(self, port: int | None = None) -> dict[str, str]:
        """The production settings of every node: DEBUG off, HTTPS behind the proxies."""
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REDIS", "CDN", "DJANGO"))},
            "SECRET_KEY": self.secret_key,
            "DEBUG": "0",
            "SITE_HTTPS": "1",  # secure cookies, HSTS, redirect of plain http
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}:{self.ports.varnish}",
            "DATABASE_URL": self.database_url,
            "DATABASE_REPLICA_URL": self.replica_url,
            "REDIS_URL": f"redis://{HOST}:{self.ports.redis}/0",
            "CDN_PURGE_URL": self.base_url,
            "TRUSTED_PROXY_COUNT": "2",  # Varnish and HAProxy each append to X-Forwarded-For
            "RATELIMIT_IP_META_KEY": "ops.security.client_ip",  # comments: the visitor, not HAProxy
            "FORWARDED_ALLOW_IPS": HOST,
            "SERVE_MEDIA": "1",  # the nodes share this checkout's media/ (S3 in production)
            "WAGTAILADMIN_BASE_URL": self.base_url,
            "LOG_LEVEL": "WARNING",
            "HOST": HOST,
            "WEB_CONCURRENCY": str(self.workers),
            "ACCESS_LOG": "off",  # HAProxy and Varnish see every request
        }
        if port is not None:
            env["PORT"] = str(port)
        return env

    def manage(self, *args: str, input_text: str | None = None, quiet: bool = True) -> str:
        result = subprocess.run(
            [PY, "manage.py", *args],
            cwd=REPO,
            env=self.site_env(),
            input=input_text,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    # --- processes -----------------------------------------------------------------------

    def spawn(self, name: str, command: list[str], env: dict | None = None, cwd: Path | None = None) -> None:
        log = open(self.state / f"{name}.log", "ab")  # noqa: SIM115 - kept open by the child
        self.processes[name] = subprocess.Popen(
            command,
            cwd=cwd or self.state,
            env=env or os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def kill(self, name: str, sig: int = signal.SIGTERM, wait: float = 10) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    # --- the rest ------------------------------------------------------------------------

    def start_redis(self) -> None:
        self.spawn(
            "redis",
            [
                "redis-server",
                "--bind",
                HOST,
                "--port",
                str(self.ports.redis),
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                "64mb",
                "--maxmemory-policy",
                "volatile-lru",
            ],
        )
        wait_until(lambda: socket.create_connection((HOST, self.ports.redis), timeout=1).close() is None, 15, "Redis")

    def start_node(self, number: int) -> None:
        port = self.ports.nodes[number - 1]
        gunicorn = str(Path(PY).parent / "gunicorn")
        self.spawn(
            f"node{number}",
            [gunicorn, "site_ordre.wsgi"],
            env=self.site_env(port),
            cwd=REPO,
        )

    def wait_node(self, number: int) -> None:
        port = self.ports.nodes[number - 1]
        wait_until(lambda: http_status(f"http://{HOST}:{port}/healthz") == 200, 90, f"app node {number}")

    def start_haproxy(self) -> None:
        servers = "\n".join(f"    server node{i} {HOST}:{port} check" for i, port in enumerate(self.ports.nodes, 1))
        config = Template((HERE / "haproxy.cfg").read_text()).substitute(
            state=self.state, haproxy_port=self.ports.haproxy, stats_port=self.ports.stats, servers=servers
        )
        (self.state / "haproxy.cfg").write_text(config)
        self.spawn("haproxy", ["haproxy", "-db", "-f", str(self.state / "haproxy.cfg")])
        wait_until(lambda: http_status(f"http://{HOST}:{self.ports.haproxy}/healthz") == 200, 30, "HAProxy")

    def start_varnish(self) -> None:
        vcl = render_vcl(self.ports.haproxy)
        (self.state / "varnish.vcl").write_text(vcl)
        workdir = self.state / "varnish"
        workdir.mkdir(exist_ok=True)
        self.spawn(
            "varnish",
            [
                "varnishd",
                "-F",
                "-n",
                str(workdir),
                "-a",
                f"{HOST}:{self.ports.varnish}",
                "-T",
                f"{HOST}:{self.ports.varnish_admin}",
                "-f",
                str(self.state / "varnish.vcl"),
                "-s",
                "malloc,64m",
                "-p",
                "thread_pools=1",
                "-p",
                "thread_pool_min=10",
            ],
        )
        wait_until(lambda: http_status(f"{self.base_url}/healthz") == 200, 30, "Varnish")

    def refuse_busy_ports(self) -> None:
        ports = [self.ports.primary, self.ports.replica, self.ports.redis] if self.only_db else self.ports.every()
        busy = [port for port in ports if not port_is_free(port)]
        if busy:
            raise RuntimeError(
                f"ports already in use on {HOST}: {busy} (another cluster? cluster.py down, or --port-base)"
            )

    def reset(self) -> None:
        """Empty the state directory (a fresh cluster: new databases, no backups, no old logs).
        A directory that is neither empty nor marked as a cluster's is refused, never emptied; so is
        one whose cluster's ports are taken (its data is kept for the cluster that runs there)."""
        self.refuse_busy_ports()
        marker = self.state / STATE_MARKER
        if self.state.exists() and any(self.state.iterdir()) and not marker.exists():
            raise RuntimeError(f"{self.state} is not empty and not a cluster's state directory: choose another")
        if self.state.exists():
            for child in self.state.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        self.state.mkdir(parents=True, exist_ok=True)
        marker.write_text("the state directory of deploy/cluster/cluster.py: emptied by every fresh `up`\n")

    def start(self, source_url: str | None = None, fresh: bool = True, log=print) -> None:
        """Start everything (fresh: make the databases first; otherwise reuse them)."""
        self.refuse_busy_ports()
        if not fresh and not (self.pg_dir("primary") / "PG_VERSION").exists():
            raise RuntimeError(f"no cluster data in {self.state} to keep: start without --keep first")
        self.state.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        say = log

        def log(line: str) -> None:
            say(f"[{time.monotonic() - started:5.1f} s] {line}")

        # collectstatic overlaps with PostgreSQL's start. The nodes start once it is done: each worker
        # reads the static files' manifest when it starts, and a partial one breaks every page.
        statics = None
        if fresh and not self.only_db:
            statics = subprocess.Popen(
                [PY, "manage.py", "collectstatic", "--noinput"],
                cwd=REPO,
                env=self.site_env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        if fresh:
            how = f"copy of {source_url}" if source_url else "migrate + seed_site"
            if self.only_db and not source_url:
                how = "an empty database"
            log(f"PostgreSQL primary on :{self.ports.primary} ({how})")
            self.init_primary(source_url)
            log(f"PostgreSQL streaming replica on :{self.ports.replica} (pg_basebackup)")
            self.init_replica()
        else:
            log(f"PostgreSQL primary :{self.ports.primary} and replica :{self.ports.replica} on the kept data")
            self.pg_ctl("primary", "start")
            self.pg_ctl("replica", "start")
        log(f"Redis on :{self.ports.redis}")
        self.start_redis()
        if self.only_db:
            log(f"databases up in {time.monotonic() - started:.1f} s (state in {self.state})")
            return
        if statics is not None and statics.wait(timeout=300) != 0:
            raise RuntimeError(f"collectstatic failed: {statics.stderr.read().decode()}")
        log(f"app nodes on :{', :'.join(map(str, self.ports.nodes))} (gunicorn, {self.workers} workers each)")
        for number in range(1, len(self.ports.nodes) + 1):
            self.start_node(number)
        for number in range(1, len(self.ports.nodes) + 1):
            self.wait_node(number)
        log(f"HAProxy on :{self.ports.haproxy} (stats :{self.ports.stats}/stats), Varnish on :{self.ports.varnish}")
        self.start_haproxy()
        self.start_varnish()
        log(f"cluster up in {time.monotonic() - started:.1f} s: {self.base_url}/fr/ (state in {self.state})")

    def stop(self) -> None:
        """Stop every process this cluster started, newest first; PostgreSQL last (data and logs stay)."""
        for name in reversed(list(self.processes)):
            self.kill(name)
        for role in ("replica", "primary"):
            if role in self.pg_running:
                self.pg_stop(role)
