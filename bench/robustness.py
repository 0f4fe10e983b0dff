"""Robustness bench: bad input through `slant`'s command line and its web API, and what leaked.

Each class of bad input runs as a real command (`python -m slant ...`, a fresh process each) or as a request
to one `slant serve` on 127.0.0.1, and prints its exit code or HTTP status, its time, whether it did what it
should (`ok`: the expected code and a correct result), and what leaked:

- `traceback`: a Python traceback on the terminal or in the response, or HTTP 500;
- `orphans=N`: processes the command started that are still running after it ended (found by an
  environment marker every child inherits);
- `lost=N`: corpus items neither stored nor recorded as failed after a batch run;
- `wrong-text`: the report's text is not the text the input holds (controls mapped to spaces);
- `busy-after`: the server could not analyze a small article within 30 s after answering (it is still
  working on the bad request, or poisoned); a worker stopped past its budget is replaced, its models
  loaded again, within that time.

    python bench/robustness.py                  # all analyzers, every class
    python bench/robustness.py --only techniques --no-web

The baseline of the same run is the valid article, through the same command and the same server.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ARTICLE = (
    "Harbour Council Backs Dredging Plan\n\nby Ana Müller\n\n"
    "The council of Port Meridian voted on Tuesday to dredge the old harbour, a plan that its critics call a "
    "reckless waste of money. The mayor said that the work would take four months and that the fishermen had "
    "been consulted at every step.\n\n"
    'Opponents were scathing. "This is the most shameful decision this council has ever taken," said Hana '
    "Petrov, who leads the Lagoon Society. Everyone knows the lagoon will suffer, she added.\n"
)
LONG_PARAGRAPH = (
    "The council met again on Thursday to hear the engineers, who said the dredging would take longer than "
    "planned because of the silt, and that the cost could rise by a third. Critics said it proved them right. "
)
MARKER = "SLANT_ROBUSTNESS_RUN"


@dataclass
class Outcome:
    """What one case did."""

    code: int | str
    seconds: float
    ok: bool
    leaks: list[str] = field(default_factory=list)
    message: str = ""


@dataclass(frozen=True)
class CliCase:
    """A command line; `setup(folder)` writes its input and returns the arguments after `slant`."""

    name: str
    setup: Callable[[Path], list[str]]
    expect: int | tuple[int, ...]
    check: Callable[[dict], bool] | None = None
    kind: str = "analyze"  # or "batch" (lost rows counted) or "kill" (killed mid-run)


@dataclass(frozen=True)
class WebCase:
    """A request: JSON for /api/analyze (or /api/analyze/batch), raw bytes, or a file upload to /report."""

    name: str
    expect: int | tuple[int, ...]
    json: object = None
    path: str = "/api/analyze"
    content: bytes | None = None
    upload: bytes | None = None
    check: Callable[[dict], bool] | None = None
    page_holds: str = "Müller"


def _file(name: str, data: bytes) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        (folder / name).write_bytes(data)
        return ["analyze", str(folder / name), "--format", "json"]

    return setup


def _args(*args: str) -> Callable[[Path], list[str]]:
    return lambda folder: [a.replace("{dir}", str(folder)) for a in args]


def _sparse(folder: Path) -> list[str]:
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    return ["analyze", str(folder / "huge.txt"), "--format", "json"]


def _unreadable(folder: Path) -> list[str]:
    path = folder / "secret.txt"
    path.write_text(ARTICLE)
    path.chmod(0)
    return ["analyze", str(path), "--format", "json"]


def _markup_name(folder: Path) -> list[str]:
    return ["analyze", str(folder / "[/red]x"), "--format", "json"]


def _output_missing(folder: Path) -> list[str]:
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    return ["analyze", str(folder / "good.txt"), "--output", str(folder / "missing" / "r.json")]


def _export_missing(folder: Path) -> list[str]:
    return ["export", "-o", str(folder / "missing" / "out.csv"), "--db", f"sqlite:///{folder / 'empty.db'}"]


def _corpus(folder: Path, n_good: int) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir()
    for i in range(n_good):
        (corpus / f"good{i}.txt").write_text(ARTICLE.replace("four", f"{i + 2}"), encoding="utf-8")
    return corpus


def _batch(url: Callable[[Path], str]) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        corpus = _corpus(folder, 3)
        (corpus / "nul.txt").write_bytes((ARTICLE * 40).encode()[:4500] + b"\x00" + (ARTICLE * 10).encode())
        (corpus / "empty.txt").write_bytes(b"")
        (corpus / "binary.txt").write_bytes(random.Random(7).randbytes(4096))
        (corpus / "latin1.txt").write_bytes(ARTICLE.replace("Müller", "Señor").encode("latin-1"))
        (corpus / "control.txt").write_bytes(ARTICLE.replace("council", "coun\x07cil\x1b").encode())
        return ["batch", str(corpus), "--db", url(folder), "--no-progress"]

    return setup


def _kill_batch(folder: Path) -> list[str]:
    corpus = _corpus(folder, 60)
    return ["batch", str(corpus), "--db", f"sqlite:///{folder / 'kill.db'}", "--workers", "2", "--no-progress"]


def _sqlite(folder: Path) -> str:
    return f"sqlite:///{folder / 'batch.db'}"


def _postgres(_: Path) -> str:
    return os.environ["SLANT_TEST_POSTGRES_URL"]


def _text_is(expected: str) -> Callable[[dict], bool]:
    return lambda report: report.get("text") == expected


def _contains(*parts: str) -> Callable[[dict], bool]:
    return lambda report: all(part in report.get("text", "") for part in parts)


UTF8_BROKEN = b"\xff".join([ARTICLE.replace("Müller", "Müller’s").encode()] * 7)
LATIN1 = ARTICLE.replace("Ana Müller", "Señor Ana Müller, naïve").encode("latin-1")
NUL_TEXT = (ARTICLE * 40)[:4500] + "\x00" + ARTICLE * 10
CONTROL_TEXT = ARTICLE.replace("council", "coun\x07cil\x1b", 1)
TAGS_TEXT = ARTICLE + "Readers asked why <p>, <div>, <a href='x'>, <b> and <i> tags showed in the print edition.\n"
SPANISH = "El ayuntamiento aprueba el parque\n\nEl pleno aprobó el martes la construcción de un parque en la orilla.\n"
LONG_LINE = LONG_PARAGRAPH * 9_600  # 2 MB of English, no line break
LONG_ARTICLE = (ARTICLE + "\n\n".join([LONG_PARAGRAPH] * 480))[:98_700]

CLI_CASES = [
    CliCase("empty file", _file("empty.txt", b""), 3),
    CliCase("whitespace only", _file("blank.txt", b"  \n\t\n"), 3),
    CliCase("PNG image", _file("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)), 3),
    CliCase("random bytes", _file("random.txt", random.Random(7).randbytes(4096)), 3),
    CliCase("a directory", _args("analyze", "{dir}", "--format", "json"), 3),
    CliCase("missing file", _args("analyze", "{dir}/nope.txt", "--format", "json"), 3),
    CliCase("unreadable file", _unreadable, 3),
    CliCase("50 MB file", _sparse, 3),
    CliCase("UTF-8, 6 bad bytes", _file("utf8.txt", UTF8_BROKEN), 0, _contains("Müller’s")),
    CliCase("Latin-1 text", _file("latin1.txt", LATIN1), 0, _contains("naïve", "Señor")),
    CliCase("UTF-16, no BOM", _file("utf16.txt", ARTICLE.encode("utf-16-le")), 0, _text_is(ARTICLE)),
    CliCase("NUL after 4 KB", _file("nul.txt", NUL_TEXT.encode()), 0, _text_is(NUL_TEXT.replace("\x00", " "))),
    CliCase("control characters", _file("ctl.txt", CONTROL_TEXT.encode()), 0, _contains("coun cil ")),
    CliCase("text quoting tags", _file("tags.txt", TAGS_TEXT.encode()), 0, _text_is(TAGS_TEXT)),
    CliCase("HTML, no article", _file("nav.html", b"<!doctype html><html><body><nav>Home</nav></body></html>"), 3),
    CliCase("not English", _file("es.txt", SPANISH.encode()), 3),
    CliCase("one letter", _file("a.txt", b"a"), 3),
    CliCase("2 MB single line", _file("line.txt", LONG_LINE.encode()), 3),
    CliCase("98,700-char article", _file("long.txt", LONG_ARTICLE.encode()), (0, 3)),
    CliCase("rich markup in name", _markup_name, 3),
    CliCase("--output, no folder", _output_missing, 2),
    CliCase("export -o, no folder", _export_missing, 2),
    CliCase("URL without --url", _args("analyze", "http://127.0.0.1:9/x"), 3),
    CliCase("private URL", _args("analyze", "--url", "http://127.0.0.1:9/x"), 3),
    CliCase("batch: bad rows, SQLite", _batch(_sqlite), 0, kind="batch"),
    CliCase("batch: bad rows, PostgreSQL", _batch(_postgres), 0, kind="batch"),
    CliCase("batch -w 2, kill -9", _kill_batch, -9, kind="kill"),
]

WEB_CASES = [
    WebCase("empty text", 422, {"text": ""}),
    WebCase("whitespace only", 422, {"text": "  \n\t\n"}),
    WebCase("PNG upload", 422, path="/report", upload=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)),
    WebCase("random-bytes upload", 422, path="/report", upload=random.Random(7).randbytes(4096)),
    WebCase("UTF-8 upload, 6 bad bytes", 200, path="/report", upload=UTF8_BROKEN, page_holds="Müller’s"),
    WebCase("Latin-1 upload", 200, path="/report", upload=LATIN1, page_holds="naïve"),
    WebCase("UTF-16 upload, no BOM", 200, path="/report", upload=ARTICLE.encode("utf-16-le")),
    WebCase("NUL after 4 KB", 200, {"text": NUL_TEXT}, check=_text_is(NUL_TEXT.replace("\x00", " "))),
    WebCase("control characters", 200, {"text": CONTROL_TEXT}, check=_contains("coun cil ")),
    WebCase("text quoting tags", 200, {"text": TAGS_TEXT}, check=_text_is(TAGS_TEXT)),
    WebCase("HTML, no article", 422, {"html": "<html><body><nav>Home</nav></body></html>"}),
    WebCase("not English", 422, {"text": SPANISH}),
    WebCase("one letter", 422, {"text": "a"}),
    WebCase("invalid JSON", 422, content=b'{"text": '),
    WebCase("text is a number", 422, {"text": 123}),
    WebCase("text and url", 422, {"text": ARTICLE, "url": "http://example.org/"}),
    WebCase("unknown field", 422, {"text": ARTICLE, "colour": "red"}),
    WebCase("unknown analyzer", 400, {"text": ARTICLE, "only": ["nope"]}),
    WebCase("ftp URL", 422, {"url": "ftp://example.org/a"}),
    WebCase("private URL", 422, {"url": "http://127.0.0.1:9/x"}),
    WebCase("3 MB body", 413, {"text": "word " * 600_000}),
    WebCase("2 MB single line", 413, {"text": LONG_LINE[:1_900_000]}),
    WebCase("batch of 17", 413, {"documents": [{"text": ARTICLE}] * 17}, path="/api/analyze/batch"),
    WebCase("98,700-char article", (200, 504), {"text": LONG_ARTICLE}),
    WebCase(
        "16 long articles", (413, 504), {"documents": [{"text": LONG_ARTICLE[:60_000]}] * 16}, "/api/analyze/batch"
    ),
]


def _marked(token: str) -> list[int]:
    """The running processes that carry this run's marker (zombies have exited and do not count)."""
    needle = f"{MARKER}={token}".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        pid = int(environ.parent.name)
        try:
            state = (environ.parent / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state not in "ZX" and needle in environ.read_bytes().split(b"\0"):
                found.append(pid)
        except (OSError, IndexError):
            continue
    return found


def _orphans(token: str, grace_s: float = 5.0) -> int:
    """How many marked processes are still running `grace_s` after the command ended; they are then killed."""
    deadline = time.monotonic() + grace_s
    while (left := _marked(token)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return len(left)


def _codes(expect: int | tuple[int, ...]) -> tuple[int, ...]:
    return expect if isinstance(expect, tuple) else (expect,)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    error = next((line for line in lines if "error" in line.lower()), lines[-1] if lines else "")
    return error[:90]


def run_cli(case: CliCase, selection: list[str], limit_s: float) -> Outcome:
    folder = Path(tempfile.mkdtemp(prefix="slant-robust-"))
    try:
        args = case.setup(folder)
    except KeyError:
        return Outcome("skipped", 0.0, True, message="SLANT_TEST_POSTGRES_URL is not set")
    if args[0] in ("analyze", "batch"):
        args += selection
    token = uuid.uuid4().hex
    command = [sys.executable, "-m", "slant", *args]
    if case.name == "unreadable file" and os.geteuid() == 0 and shutil.which("setpriv"):
        drop = "-dac_override,-dac_read_search"  # root reads anything: drop that power, as a user lacks it
        command = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", *command]
    env = {**os.environ, MARKER: token, "COLUMNS": "200"}
    started = time.perf_counter()
    # Files, not pipes: an orphan holding a pipe open would keep the bench waiting for it.
    with (folder / "stdout").open("wb+") as stdout, (folder / "stderr").open("wb+") as stderr:
        process = subprocess.Popen(command, env=env, stdout=stdout, stderr=stderr, cwd=folder)
        if case.kind == "kill":
            _kill_when_working(process, folder / "kill.db", token)
        try:
            code: int | str = process.wait(timeout=limit_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            code = "timeout"
        stdout.seek(0)
        stderr.seek(0)
        out, err = stdout.read().decode(errors="replace"), stderr.read().decode(errors="replace")
    seconds = time.perf_counter() - started
    leaks = []
    if "Traceback (most recent call last)" in out + err:
        leaks.append("traceback")
    if orphans := _orphans(token):
        leaks.append(f"orphans={orphans}")
    ok = code in _codes(case.expect)
    if case.check is not None and code == 0:
        try:
            good = case.check(json.loads(out))
        except ValueError:
            good = False
        if not good:
            leaks.append("wrong-text")
            ok = False
    if case.kind == "batch":
        lost = _lost(args[args.index("--db") + 1], folder / "corpus")
        if lost:
            leaks.append(f"lost={lost}")
    shutil.rmtree(folder, ignore_errors=True)
    return Outcome(code, seconds, ok and not leaks, leaks, _first_line(err) if code != 0 else "")


def _kill_when_working(process: subprocess.Popen[bytes], db: Path, token: str) -> None:
    """SIGKILL the batch runner alone once its two workers are up and the first rows are stored."""
    deadline = time.monotonic() + 240
    while process.poll() is None and time.monotonic() < deadline:
        if len(_marked(token)) >= 3 and _stored(f"sqlite:///{db}") > 0:
            break
        time.sleep(0.5)
    process.send_signal(signal.SIGKILL)


def _stored(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM documents")).scalar() or 0)
    except Exception:  # not created yet
        return 0
    finally:
        engine.dispose()


def _lost(url: str, corpus: Path) -> int:
    """Corpus files neither stored nor recorded as failed (then the tables are dropped, for the next run)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        refs = {row[0] for row in connection.execute(text("SELECT ref FROM documents"))}
        refs |= {row[0] for row in connection.execute(text("SELECT ref FROM failures"))}
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP TABLE doc_techniques, documents, failures"))
    engine.dispose()
    return sum(str(path) not in refs for path in corpus.iterdir())


def run_web(case: WebCase, url: str, http: httpx.Client) -> Outcome:
    started = time.perf_counter()
    try:
        if case.upload is not None:
            response = http.post(url + case.path, files={"file": ("upload.txt", case.upload)})
        elif case.content is not None:
            response = http.post(url + case.path, content=case.content, headers={"content-type": "application/json"})
        else:
            response = http.post(url + case.path, json=case.json)
    except httpx.HTTPError as error:
        return Outcome(type(error).__name__, time.perf_counter() - started, False, ["no-answer"])
    seconds = time.perf_counter() - started
    leaks = []
    if response.status_code == 500 or "Traceback" in response.text:
        leaks.append("traceback")
    ok = response.status_code in _codes(case.expect)
    if case.check is not None and response.status_code == 200 and not case.check(response.json()):
        leaks.append("wrong-text")
    if case.upload is not None and response.status_code == 200 and case.page_holds not in response.text:
        leaks.append("wrong-text")
    if not _serves(url, http):
        leaks.append("busy-after")
    message = ""
    if response.status_code != 200:
        try:
            message = str(response.json().get("error", ""))[:90]
        except ValueError:
            message = _first_line(response.text)
    return Outcome(response.status_code, seconds, ok and not leaks, leaks, message)


def _serves(url: str, http: httpx.Client) -> bool:
    """Whether the server analyzes the valid article within 30 s (retrying while it says it is busy)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            response = http.post(f"{url}/api/analyze", json={"text": ARTICLE}, timeout=deadline - time.monotonic())
        except httpx.HTTPError:
            return False
        if response.status_code == 200:
            return True
        time.sleep(float(response.headers.get("retry-after", "0.5")))
    return False


def _print(kind: str, name: str, outcome: Outcome) -> None:
    verdict = "ok" if outcome.ok else "WRONG"
    leaks = ",".join(outcome.leaks) or "-"
    print(
        f"{kind:<4} {name:<28} {str(outcome.code):>8} {outcome.seconds:7.2f}s  {verdict:<5} {leaks:<22} "
        f"{outcome.message}",
        flush=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def web_section(selection: list[str], cases: list[WebCase]) -> list[Outcome]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    token = uuid.uuid4().hex
    command = [sys.executable, "-m", "slant", "serve", "--port", str(port), *selection]
    server = subprocess.Popen(
        command, env={**os.environ, MARKER: token}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    outcomes = []
    try:
        with httpx.Client(timeout=300) as http:
            deadline = time.monotonic() + 300
            while True:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("slant serve did not start")
                try:
                    http.get(f"{url}/healthz", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.5)
            started = time.perf_counter()
            baseline_ok = _serves(url, http)
            _print("web", "baseline: valid article", Outcome(200, time.perf_counter() - started, baseline_ok))
            for case in cases:
                outcome = run_web(case, url, http)
                outcomes.append(outcome)
                _print("web", case.name, outcome)
            started = time.perf_counter()
            health = http.get(f"{url}/healthz", timeout=10)
            _print("web", "healthz after all", Outcome(health.status_code, time.perf_counter() - started, True))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        stderr = server.stderr.read().decode(errors="replace") if server.stderr else ""
        orphans = _orphans(token)
        print(
            f"web  server stop: exit {server.returncode}, tracebacks in its log: {stderr.count('Traceback')}, "
            f"orphans: {orphans}",
            flush=True,
        )
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", default=[], help="run only these analyzers (repeatable)")
    parser.add_argument("--limit", type=float, default=180.0, help="seconds a command may run before it is killed")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line classes")
    parser.add_argument("--no-web", action="store_true", help="skip the web classes")
    parser.add_argument("--case", action="append", default=[], help="run only classes whose name holds this")
    args = parser.parse_args()
    selection = [f"--only={name}" for name in args.only]

    def chosen(name: str) -> bool:
        return not args.case or any(part in name for part in args.case)

    print(f"{'':<4} {'class':<28} {'code':>8} {'time':>8}  {'':<5} {'leaks':<22} message")
    results: list[Outcome] = []
    if not args.no_cli:
        baseline = CliCase("baseline: valid article", _file("good.txt", ARTICLE.encode()), 0, _text_is(ARTICLE))
        _print("cli", baseline.name, run_cli(baseline, selection, args.limit))
        for case in CLI_CASES:
            if chosen(case.name):
                outcome = run_cli(case, selection, args.limit)
                results.append(outcome)
                _print("cli", case.name, outcome)
    if not args.no_web:
        results += web_section(selection, [case for case in WEB_CASES if chosen(case.name)])
    counted = [r for r in results if r.code != "skipped"]
    print(
        f"classes {len(counted)}: {sum(r.ok for r in counted)} as expected, "
        f"{sum(bool(r.leaks) for r in counted)} with a leak, {sum(r.code == 'timeout' for r in counted)} killed at "
        f"{args.limit:g} s; worst time {max((r.seconds for r in counted), default=0):.1f} s"
    )


if __name__ == "__main__":
    main()
