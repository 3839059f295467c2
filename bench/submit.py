"""Submit on PostgreSQL against hello-world, with wrk on gunicorn (the method of pages.py
and dashboard.py). Attempts are prepared over HTTP first, each as a new person answered up
to its last page (the journey of scenario.py), then wrk sends each one's last page once
(the submit: the POST that stores the result) from a Lua script that walks the list;
hello-world goes through the same script. The submit is also timed in-process, with its
queries. Prints the figures beside the issue's aim, asserts none; exit 1 unless every
submit answered stored exactly one result, 2 if something failed to run."""

import cProfile
import functools
import json
import os
import pstats
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlencode

from dashboard import HELLO, PIN
from inproc import page_times
from invariants import AttemptRecord, against_clients, attempt_problems
from report import Options, arguments, verdict
from sandbox import BenchError, Site, admin, sandbox
from scenario import (
    ATTEMPT_RE,
    RESULT_RE,
    Browser,
    StepFailed,
    answered_page,
    page_form,
    start,
)
from servers import Server, start_server, stop_server

OPTIONS: Options = [
    ("--attempts", 600, "prepared for the measured run"),
    ("--warm-up", 60, "more attempts, all submitted before the run"),
    ("--duration", 6, "wrk s (shortened if the attempts would run out)"),
    ("--connections", 4, "wrk's, for hello-world and submit alike"),
    ("--clients", 8, "threads preparing the attempts"),
    ("--repeat", 30, "in-process submits"),
    ("--profile", False, "cProfile the in-process submits"),
    ("--database-name", "spectrum_submitbench", ""),
]
AIM = 5.0  # % of hello-world, the issue's; printed, never asserted

# wrk sends the prepared requests in order, each once (hello-world's again and again);
# with the list used up it sends `fallback` (hello-world) and says so, and once every one
# is answered it makes the file @DONE@. The thread's counts and the answered Locations are
# written out by done(), which runs in wrk's main Lua state.
LUA = """local list = {@LIST@}
local cycle, expect, pattern, fallback = @CYCLE@, @EXPECT@, @PATTERN@, @FALLBACK@
index, good, bad, ran_out, tokens = 0, 0, 0, 0, {}
local threads, checked = {}, false
function setup(thread) table.insert(threads, thread) end
function request()
  if not checked then checked = true return list[1] end -- wrk's check of the script, not sent
  index = index + 1
  if index <= #list then return list[index] end
  if cycle then return list[(index - 1) % #list + 1] end
  ran_out = 1
  return fallback
end
function response(status, headers, body)
  if ran_out == 1 and status == 200 then return end -- the fallback's
  local location = headers["Location"] or headers["location"] or ""
  if status == expect and string.find(location, pattern, 1, true) then
    good = good + 1
    if pattern ~= "" then tokens[#tokens + 1] = location end
  else
    bad = bad + 1
  end
  if not cycle and good + bad == #list then io.open(@DONE@, "w"):close() end
end
function done(summary, latency, requests)
  local t, e, out = threads[1], summary.errors, io.open(@OUT@, "w")
  out:write(string.format("seconds %f\\nrequests %d\\n", summary.duration / 1e6, summary.requests))
  for _, key in ipairs({"index", "good", "bad", "ran_out"}) do
    out:write(key, " ", t:get(key), "\\n")
  end
  local failed = e.connect + e.read + e.write + e.status + e.timeout
  out:write(string.format("errors %d\\nmax %f\\n", failed, latency.max / 1000))
  for _, p in ipairs({50, 95, 99}) do
    out:write(string.format("p%d %f\\n", p, latency:percentile(p) / 1000))
  end
  for _, location in ipairs(t:get("tokens")) do out:write("token ", location, "\\n") end
  out:close()
end
"""


@dataclass
class Prepared:
    """An attempt answered up to its last page, and that page's POST as a browser sends it."""

    record: AttemptRecord
    path: str
    cookie: str
    body: str


def raw(base: str, path: str, cookie: str, body: str = "") -> str:
    """The bytes of one HTTP/1.1 request: a POST of `body`, or a GET."""
    lines = [f"{'POST' if body else 'GET'} {path} HTTP/1.1", f"Host: {base.split('//')[1]}"]
    lines += [f"Cookie: {cookie}", f"Referer: {base}{path}"]
    if body:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return "\r\n".join([*lines, "", body])


def prepare_one(browser: Browser, rng: random.Random) -> Prepared:
    """A new person: GET /, start, answer pages 1 to 3, read the last page's form."""
    browser.session.cookies.clear()
    record = AttemptRecord()
    start(browser, record)
    number = 0
    while number == 0 or number < record.pages:
        number += 1
        path, data = answered_page(browser, record, rng, number)
        if number < record.pages:
            browser.request("answer", path, data)
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.session.cookies)
    return Prepared(record, path, cookie, urlencode(data))


def prepare(base: str, count: int, clients: int) -> list[Prepared]:
    """`count` attempts from `clients` threads, each attempt a new person."""

    def client(number: int) -> list[Prepared]:
        rng, browser = random.Random(number), Browser([("A", base)], [])  # noqa: S311
        share = count // clients + (number < count % clients)
        return [prepare_one(browser, rng) for _ in range(share)]

    with ThreadPoolExecutor(clients) as pool:
        try:
            return [attempt for batch in pool.map(client, range(clients)) for attempt in batch]
        except StepFailed as error:
            raise BenchError(f"preparing the attempts failed: {error}") from error


def wrk(server: Server, requests: list[str], seconds: int, connections: int, **how: Any) -> Any:
    """One wrk run over `requests` (keyword `submit`: each once, expecting a result's
    redirect; else in a loop, expecting 200) for `seconds`, or with `until_done` until
    every one is answered: its figures, and the Locations answered."""
    submit, tmp = how.get("submit", False), Path(server.log_path).parent
    script, out, finished = tmp / "walk.lua", tmp / "walk.out", tmp / "walk.done"
    out.unlink(missing_ok=True)
    finished.unlink(missing_ok=True)
    fields = {
        "@LIST@": ",\n".join(json.dumps(request) for request in requests),
        "@CYCLE@": "false" if submit else "true",
        "@EXPECT@": "302" if submit else "200",
        "@PATTERN@": json.dumps("/results/" if submit else ""),
        "@FALLBACK@": json.dumps(raw(server.base, HELLO, "")),
        "@OUT@": json.dumps(str(out)),
        "@DONE@": json.dumps(str(finished)),
    }
    text = LUA
    for key, value in fields.items():
        text = text.replace(key, value)
    script.write_text(text)
    command = [*(["taskset", "-c", "0"] if PIN else []), "wrk", "-t1", f"-c{connections}"]
    command += [f"-d{seconds}s", "--timeout", "10s", "-s", str(script), server.base + "/"]
    load, deadline = os.getloadavg()[0], time.monotonic() + seconds + 60
    ran = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603
    while ran.poll() is None and time.monotonic() < deadline:
        if how.get("until_done") and finished.exists():
            ran.send_signal(signal.SIGINT)  # wrk stops, and counts the time until now
        time.sleep(0.01)
    if ran.poll() is None:
        ran.kill()
    if not out.exists():
        raise BenchError(f"wrk failed:\n{ran.communicate()[0]}")
    lines = [line.split(" ", 1) for line in out.read_text().splitlines()]
    figures: dict[str, Any] = {k: float(v) for k, v in lines if k != "token"}
    figures |= {"load": load, "tokens": [v for k, v in lines if k == "token"]}
    figures |= {"rps": figures["good"] / figures["seconds"], "finished": finished.exists()}
    return figures


def cpu_use(server: Server, database: str) -> dict[str, dict[int, float]]:
    """CPU seconds used so far by each of gunicorn's workers and of the database's backends."""
    backends = admin("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])
    kinds = {"gunicorn": server.worker_pids(), "postgres": [pid for (pid,) in backends]}
    use: dict[str, dict[int, float]] = {kind: {} for kind in kinds}
    for kind, pids in kinds.items():
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # gone
                continue
            use[kind][pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return use


def check_run(run: dict[str, Any], what: str) -> None:
    if run["errors"] or run["bad"]:
        raise BenchError(f"wrk on {what}: {run['errors']:.0f} errors, {run['bad']:.0f} bad answers")


def in_process(repeat: int, profile: bool) -> float:
    """Django's test Client: the median of `repeat` submits, each of a fresh attempt (after
    5 more to warm up), hello-world's median, and one submit's queries with their times."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(1)  # noqa: S311 - answers, not secrets

    def fresh() -> tuple[Client, str, dict[str, str]]:
        client = Client()
        client.get("/")
        started = client.post("/assessment/start/")["Location"]
        if not (match := ATTEMPT_RE.search(started)):
            raise BenchError(f"start redirected to {started!r} in-process")
        number = pages = 0
        while number == 0 or number < pages:
            number += 1
            path = f"/assessment/{match.group(1)}/pages/{number}/"
            pages, groups = page_form(client.get(path).content.decode())
            data = {"direction": "next"} | {
                name: rng.choice(values) for name, values in sorted(groups.items())
            }
            if number < pages:
                client.post(path, data)
        return client, path, data

    def submit(client: Client, path: str, data: dict[str, str]) -> float:
        began = time.perf_counter()
        response = client.post(path, data)
        took = (time.perf_counter() - began) * 1000
        if response.status_code != 302 or not RESULT_RE.search(response["Location"]):
            raise BenchError(f"in-process submit answered {response.status_code}")
        return took

    times = [submit(*fresh()) for _ in range(repeat + 5)][5:]
    median, hello = statistics.median(times), statistics.median(page_times(Client(), HELLO, repeat))
    print(
        f"In-process ({repeat} submits, each of a fresh attempt): submit median {median:.2f} ms "
        f"(min {min(times):.2f}, max {max(times):.2f}); hello-world {hello:.2f} ms"
    )
    client, path, data = fresh()
    seconds: list[float] = []  # Django keeps a query's time to the millisecond only

    def timed(call: Any, *args: Any) -> Any:
        began = time.perf_counter()
        try:
            return call(*args)
        finally:
            seconds.append(time.perf_counter() - began)

    commit = functools.partial(timed, getattr(connection, "_commit"))  # noqa: B009
    with (
        CaptureQueriesContext(connection) as captured,
        connection.execute_wrapper(timed),
        mock.patch.object(connection, "_commit", commit),
    ):
        took = submit(client, path, data)
    queries = [query["sql"] for query in captured if query["sql"] != "BEGIN"]  # psycopg sends
    if len(queries) != len(seconds):  # BEGIN with the transaction's first query
        raise BenchError(f"{len(queries)} queries captured, {len(seconds)} timed")
    print(
        f"One submit's {len(queries)} queries (BEGIN goes with the first after it), "
        f"{sum(seconds) * 1000:.2f} ms of its {took:.2f} ms:"
    )
    for number, (sql, spent) in enumerate(zip(queries, seconds, strict=True), 1):
        sql = re.sub(r"\s+", " ", sql)
        print(f"  {number:2} {spent * 1000:6.2f} ms  {sql[:130]}{' ...' * (len(sql) > 130)}")
    if profile:
        profiler = cProfile.Profile()
        for _ in range(repeat):
            client, path, data = fresh()
            profiler.runcall(client.post, path, data)
        stats = pstats.Stats(profiler, stream=sys.stdout)
        print(f"\ncProfile of {repeat} submits: the app's functions by cumulative time")
        stats.sort_stats("cumulative").print_stats(r"/(assessments|ratelimits)/", 25)
        print("and every function by its own time")
        stats.sort_stats("tottime").print_stats(25)
    return median


def over_http(site: Site, args: Any) -> tuple[list[Prepared], dict[str, dict[str, Any]]]:
    """Prepare the attempts on a gunicorn of 4 workers on both cores, then, on one of 2
    workers as pages.py runs it, wrk on hello-world, the submits and hello-world again."""
    from django.db import connection

    began, server = time.monotonic(), start_server(site, "prepare", 4, None)
    try:
        prepared = prepare(server.base, args.warm_up + args.attempts, args.clients)
    finally:
        stop_server(server)
    with connection.cursor() as cursor:  # what autovacuum would do to the fresh rows, and
        cursor.execute("VACUUM ANALYZE")  # their writes flushed before the runs, not during
        cursor.execute("CHECKPOINT")
    print(
        f"Prepared {len(prepared)} attempts over HTTP ({args.attempts} to measure, "
        f"{args.warm_up} to warm up), each a new person answered up to their last page "
        f"({prepared[0].record.pages} pages): "
        f"{time.monotonic() - began:.1f} s with VACUUM ANALYZE and CHECKPOINT"
    )
    server, runs = start_server(site, "submit", 2, "1" if PIN else None), {}

    def run(label: str, requests: list[str], seconds: int, **how: Any) -> dict[str, Any]:
        """wrk, and the CPU its requests took in gunicorn's workers and in PostgreSQL."""
        before = cpu_use(server, site.database or "")
        runs[label] = wrk(server, requests, seconds, args.connections, **how)
        after, answered = cpu_use(server, site.database or ""), max(1, runs[label]["good"])
        for kind in ("gunicorn", "postgres"):
            spent = sum(cpu - before[kind].get(pid, 0) for pid, cpu in after[kind].items())
            runs[label][f"{kind} ms"] = spent * 1000 / answered
        return runs[label]

    try:
        hello = [raw(server.base, HELLO, p.cookie) for p in prepared]
        submits = [raw(server.base, p.path, p.cookie, p.body) for p in prepared]
        warm, measured = submits[: args.warm_up], submits[args.warm_up :]
        wrk(server, hello, 2, args.connections)
        run("hello", hello, args.duration)
        rate = run("submit warm-up", warm, 60, submit=True, until_done=True)["rps"]
        seconds = args.duration
        if rate * seconds * 1.2 > len(measured):  # the submits must last the whole run
            seconds = max(1, int(len(measured) / (rate * 1.2)))
            print(f"  ({len(measured)} attempts at {rate:.0f}/s: wrk runs {seconds} s on them)")
        run("submit", measured, seconds, submit=True)
        run("hello again", hello, args.duration)
    finally:
        stop_server(server)
    if runs["submit"]["ran_out"] or not runs["submit warm-up"]["finished"]:
        raise BenchError(f"the {len(measured)} attempts ran out, or the warm-up's were not sent")
    for label, figures in runs.items():
        check_run(figures, label)
    return prepared, runs


def summary(runs: dict[str, dict[str, Any]], in_process_ms: float) -> None:
    """Each run, then the submit's share of hello-world by requests per second and by the
    gunicorn CPU each takes (steadier when other work shares the machine)."""
    for label, run in runs.items():
        latency = "  ".join(f"p{p} {run[f'p{p}']:6.2f} ms" for p in (50, 95, 99))
        print(
            f"wrk {label:<14} {run['rps']:7.1f} req/s  {latency}  max {run['max']:6.1f} ms; "
            f"CPU per request: gunicorn {run['gunicorn ms']:5.2f} ms, PostgreSQL "
            f"{run['postgres ms']:4.2f} ms ({run['good']:.0f} in {run['seconds']:.1f} s; "
            f"load before {run['load']:.2f})"
        )
    hello, submit = ("hello", "hello again"), runs["submit"]
    share = 100 * submit["rps"] / statistics.mean(runs[label]["rps"] for label in hello)
    by_cpu = 100 * statistics.mean(runs[label]["gunicorn ms"] for label in hello)
    by_cpu /= submit["gunicorn ms"]
    print(
        f"\nSubmit {submit['rps']:.1f} req/s (p50 {submit['p50']:.1f} ms, p95 {submit['p95']:.1f} "
        f"ms; in-process {in_process_ms:.1f} ms) = {share:.2f}% of hello-world (the mean of "
        f"its two runs), {by_cpu:.2f}% by gunicorn CPU per request; the aim, {AIM}%: "
        f"{'met' if share >= AIM else 'NOT met'}"
    )


def database(prepared: list[Prepared], runs: dict[str, dict[str, Any]], args: Any) -> int:
    """Each submit answered stored exactly one result, of the attempt sent, with the answers
    sent; one sent as wrk stopped (at most one per connection and run) one result or none;
    an attempt never sent is untouched; and every invariant of invariants.py holds."""
    from django.db import connections
    from django.db.models import Count

    from assessments.models import Attempt, Result

    connections.close_all()
    warm, measured = prepared[: args.warm_up], prepared[args.warm_up :]
    ran = "submit warm-up", "submit"
    sent = warm[: int(runs[ran[0]]["index"])] + measured[: int(runs[ran[1]]["index"])]
    sent_ids = {p.record.attempt_id for p in sent}
    locations = [location for label in ran for location in runs[label]["tokens"]]
    tokens = [m.group(1) if (m := RESULT_RE.search(x)) else x for x in locations]
    owners = Result.objects.filter(token__in=tokens).values_list("token", "attempt_id")
    answered = {str(attempt_id): token for token, attempt_id in owners}
    counts = Count("responses", distinct=True), Count("result", distinct=True)
    ids = [p.record.attempt_id for p in prepared]
    rows = list(
        Attempt.objects.filter(pk__in=ids)
        .annotate(n=counts[0], results=counts[1])
        .values_list("pk", "status", "n", "results")
    )
    stored = {str(pk): (status, n) for pk, status, n, _ in rows}
    results = {str(pk): count for pk, *_, count in rows}
    submitted = {pk for pk, (status, _) in stored.items() if status == Attempt.Status.SUBMITTED}
    for p in prepared:
        if token := answered.get(p.record.attempt_id, ""):
            p.record.token, p.record.final_post_answered = token, True
    cut = sent_ids - answered.keys()
    wrong = {
        "answers with the token of no result": len(set(tokens)) - len(answered),
        "answers for an attempt not sent": len(answered.keys() - sent_ids),
        "attempts answered without exactly one result": sum(results[a] != 1 for a in answered),
        "attempts not sent yet submitted": len((stored.keys() - sent_ids) & submitted),
        "sent with no answer, more than wrk's connections": max(0, len(cut) - 2 * args.connections),
    }
    wrong |= against_clients([p.record for p in prepared], stored, submitted)
    problems = [f"{n} {what}" for what, n in wrong.items() if n] + attempt_problems()
    facts = [
        f"attempts prepared {len(prepared)}: submits sent {len(sent_ids)}, answered with a "
        f"result {len(answered)}, sent as wrk stopped (no answer seen) {len(cut)}, of which "
        f"stored {len(cut & submitted)}; submitted in all {len(submitted)}",
        "rows breaking each: " + ", ".join(f"{k} {v}" for k, v in wrong.items()),
    ]
    connections.close_all()
    ok = "every submit answered stored exactly one result, its attempt's, with the answers sent"
    return verdict("Database after the runs:", facts, problems, ok)


def main() -> int:
    args = arguments(__doc__, OPTIONS)
    if not shutil.which("wrk"):
        print("Needs wrk: apt-get install -y wrk", file=sys.stderr)
        return 2
    started = time.monotonic()
    with sandbox(args.database_name) as site:
        try:
            timings = site.setup()
            version = admin("SHOW server_version")[0][0]
            print(
                f"Submit, {time.strftime('%Y-%m-%d %H:%M')}, PostgreSQL {version}: "
                f"{'gunicorn (2 workers) on core 1, wrk on core 0' if PIN else 'not pinned'}, "
                f"wrk -t1 -c{args.connections}; set-up "
                + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
            )
            in_process_ms = in_process(args.repeat, args.profile)
            prepared, runs = over_http(site, args)
            summary(runs, in_process_ms)
            code = database(prepared, runs, args)
            print(f"\nRun time {time.monotonic() - started:.0f} s")
            return code
        except BenchError as error:
            print(f"submit failed: {error}", file=sys.stderr)
            return 2


if __name__ == "__main__":
    sys.exit(main())
