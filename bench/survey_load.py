"""Public F-03 survey under 50 concurrent respondents, on loopback.

    .venv/bin/python bench/survey_load.py [--respondents 50] [--rounds 20] [--workers 3 --threads 8]

Prepares a throwaway SQLite database (migrate, rulebooks, demo data) and media folder, starts
gunicorn on 127.0.0.1, then:

1. Respondents: N clients, each from its own loopback address (127.0.0.x, so the per-IP rate
   limit sees N people, as a service counter would), open the survey of a ULE with no answers
   yet at the same moment and then all submit at the same moment. Expected: exactly 20
   accepted (the cap), the rest told the survey is full (409); no error.
2. Page load: the same N clients each load the survey page R times over keep-alive
   connections; the same load on /healthz (a bare view) in the same run gives the ratio.

DEBUG is on: with DEBUG off the manifest static storage needs `collectstatic`, which currently
stops on a missing vendor source map (bootstrap.bundle.min.js.map). DEBUG keeps each request's
queries in memory, so the figures are if anything pessimistic.

An error is a 5xx, a refused/reset connection or a request over 30 s. Bounded: N x (2 + 2R)
requests in all. Prints the figures and the machine they ran on.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "true",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "zi_portal.settings",
    }


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare(env: dict[str, str]) -> str:
    """The survey path of the demo ULE that has no answers yet (BAUK, barang)."""
    for args in (
        ("migrate", "-v0"),
        ("load_rulebooks",),
        ("seed_demo",),
        ("collectstatic", "--noinput", "-v0"),
    ):
        _manage(env, *args)
    out = _manage(
        env,
        "shell",
        "-c",
        "from pekppp.models import UnitLokus; "
        "u = UnitLokus.objects.get(period__year=2026, unit__code='BAUK'); "
        "print('TOKEN', u.survey_token, u.survey_count)",
    )
    match = re.search(r"TOKEN (\S+) (\d+)", out)
    if not match or match.group(2) != "0":
        sys.exit(f"unexpected demo data: {out}")
    return f"/pekppp/survei/{match.group(1)}/"


def start_server(
    env: dict[str, str], port: int, workers: int, threads: int, log: Path
) -> subprocess.Popen:
    # The server's own log (e.g. Django's "Conflict" warning for each refused 21st answer) goes
    # to a file; its last lines are printed when the run finds an error.
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "zi_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    sys.exit("gunicorn did not start within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: dict[int | str, int] = {}

    def add(self, status: int | str, seconds: float) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies.append(seconds)

    @property
    def errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if isinstance(s, str) or s >= 500)

    def line(self, name: str, wall: float) -> str:
        lat = sorted(self.latencies)
        if not lat:
            return f"{name}: no requests"
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items(), key=str))
        return (
            f"{name:<28} {len(lat):>5} requests in {wall:6.2f} s = {len(lat) / wall:7.1f}/s | "
            f"ms p50 {p(0.50):6.1f}  p95 {p(0.95):6.1f}  max {lat[-1] * 1000:7.1f}  "
            f"mean {statistics.fmean(lat) * 1000:6.1f} | errors {self.errors} | {codes}"
        )


def _request(conn, method, path, tally, body=None, headers=None):
    start = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        tally.add(response.status, time.perf_counter() - start)
        return response, data
    except (OSError, http.client.HTTPException) as exc:
        tally.add(type(exc).__name__, time.perf_counter() - start)
        return None, b""


def respondents(
    port: int, path: str, n: int, answers: dict[str, str]
) -> tuple[Tally, Tally, float]:
    """Everyone opens the page together, then everyone submits together."""
    gets, posts = Tally(), Tally()
    opened = threading.Barrier(n)
    ready = threading.Barrier(n)

    def one(i: int) -> None:
        conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=TIMEOUT, source_address=(f"127.0.0.{10 + i}", 0)
        )
        try:
            opened.wait(timeout=TIMEOUT)
            response, page = _request(conn, "GET", path, gets)
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            cookie = re.search(
                r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "") if response else ""
            )
            ready.wait(timeout=TIMEOUT)
            if not (token and cookie):
                posts.add("no-form", 0.0)
                return
            body = urlencode({"csrfmiddlewaretoken": token.group(1).decode(), **answers})
            _request(
                conn,
                "POST",
                path,
                posts,
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={cookie.group(1)}",
                },
            )
        except threading.BrokenBarrierError:
            posts.add("barrier", 0.0)
        finally:
            conn.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=3 * TIMEOUT)
    return gets, posts, time.perf_counter() - start


def page_load(port: int, path: str, n: int, rounds: int) -> tuple[Tally, float]:
    tally = Tally()
    go = threading.Barrier(n)

    def one(i: int) -> None:
        conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=TIMEOUT, source_address=(f"127.0.0.{10 + i}", 0)
        )
        try:
            go.wait(timeout=TIMEOUT)
            for _ in range(rounds):
                response, _data = _request(conn, "GET", path, tally)
                if response is None or response.getheader("Connection", "").lower() == "close":
                    conn.close()
        finally:
            conn.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=rounds * TIMEOUT)
    return tally, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if not 1 <= args.respondents <= 200 or not 1 <= args.rounds <= 100:
        parser.error("bounded run: 1-200 respondents, 1-100 rounds")

    workdir = Path(tempfile.mkdtemp(prefix="zi-survey-bench-"))
    env = _env(workdir)
    server = None
    try:
        path = prepare(env)
        port = _free_port()
        log = workdir / "server.log"
        server = start_server(env, port, args.workers, args.threads, log)
        sys.path.insert(0, str(ROOT))
        answers = {code: "4" for code in _item_codes()}
        gets, posts, wall_r = respondents(port, path, args.respondents, answers)
        survey, wall_s = page_load(port, path, args.respondents, args.rounds)
        bare, wall_b = page_load(port, "/healthz", args.respondents, args.rounds)
        count = _manage(
            env,
            "shell",
            "-c",
            "from pekppp.models import UnitLokus; "
            "print('COUNT', UnitLokus.objects.get(period__year=2026, unit__code='BAUK').f03_responses.count())",
        )
        server_log = log.read_text(errors="replace")
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(workdir, ignore_errors=True)

    stored = re.search(r"COUNT (\d+)", count).group(1)
    print(f"machine     {platform.platform()} ({platform.machine()}); cpu count {os.cpu_count()}")
    print(f"python      {platform.python_implementation()} {platform.python_version()}")
    print(
        f"server      gunicorn gthread, {args.workers} workers x {args.threads} threads, DEBUG on, "
        "SQLite, 127.0.0.1"
    )
    print(
        f"load        {args.respondents} concurrent respondents, each from its own 127.0.0.x address"
    )
    print()
    print(gets.line("respondents: open survey", wall_r))
    print(posts.line("respondents: submit", wall_r))
    print(survey.line(f"survey page x{args.rounds} each", wall_s))
    print(bare.line(f"/healthz x{args.rounds} each", wall_b))
    ratio = (
        (statistics.median(survey.latencies) / statistics.median(bare.latencies))
        if bare.latencies
        else 0
    )
    print()
    print(
        f"responses stored: {stored} (cap 20); accepted 200: {posts.statuses.get(200, 0)}, "
        f"full 409: {posts.statuses.get(409, 0)}"
    )
    print(f"survey page median latency / bare view median latency: {ratio:.1f}x")
    errors = gets.errors + posts.errors + survey.errors + bare.errors
    ok = errors == 0 and stored == "20" and posts.statuses.get(200, 0) == 20
    print(
        f"goal: 50 concurrent respondents without an error, cap held: {'met' if ok else 'NOT met'}"
    )
    if not ok:
        print("\nlast server log lines:\n" + "\n".join(server_log.splitlines()[-30:]))
    return 0 if ok else 1


def _item_codes() -> list[str]:
    import yaml

    data = yaml.safe_load((ROOT / "rulebooks/pekppp/pekppp-2023.yaml").read_text(encoding="utf-8"))
    return [item["code"] for item in data["f03_items"]]


if __name__ == "__main__":
    sys.exit(main())
