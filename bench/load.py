"""Load test of `slant serve` on 127.0.0.1: concurrent clients posting a ~5,000-character invented article.

Starts the server (all registered analyzers unless --only), measures one client alone as the baseline,
then `--clients` clients for `--seconds`, and prints requests/s, p50/p99 latency and errors, with ratios
to the baseline. Stops by itself and stops the server.

    python bench/load.py --clients 20 --seconds 30
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

PARAGRAPHS = [
    "Valdoria's Heroes Crush the Saltmarsh Rebels at Last",
    "by Edda Kornfeld",
    "The glorious army of Valdoria has finally broken the back of the Saltmarsh rebellion, the Ministry of "
    "Information announced on Thursday, and the grateful people of Lower Quay poured into the streets to "
    "cheer their saviours. Only a traitor could fail to see that this is the dawn of a new era for the nation.",
    "For months the rebel gangs have terrorised the marsh villages, stealing grain and burning the ferry "
    'docks, according to a ministry statement. Colonel Aurel Benn told state television that "every single '
    'village of the marsh is now safe, and the criminals who hid there will answer for their crimes."',
    "The rebels' so-called spokesmen claim that dozens of fishermen were killed when the army shelled the "
    "estuary. These lies have been repeated so often that some foreign newspapers now print them as fact. "
    "Nobody in Valdoria takes such fairy tales seriously, and the ministry said no civilians were harmed.",
    "Everyone knows who started this conflict. The Saltmarsh Council took its orders from abroad, received "
    "weapons from abroad, and now weeps to reporters from abroad. Either you stand with Valdoria, or you "
    "stand with the men who burned the ferry docks. There is no third way.",
    "Officials said that 40,000 tonnes of grain would reach the marsh villages before winter, and that the "
    "ferry to Lower Quay would run again within two weeks. Independent observers have not been allowed into "
    "the region, and the figures could not be verified.",
    "The Valdorian Farmers' Union welcomed the news, calling it a victory for every family that has waited "
    "too long for peace. A union official, who asked not to be named, said that prices at the Lower Quay "
    "market had already fallen by a third since the army arrived.",
    "Critics in the capital have asked why the operation took eleven months, when the defence minister had "
    "promised in the spring that it would be over in weeks. The minister did not answer questions on "
    "Thursday, but his office said that the timeline had always depended on the weather in the estuary.",
    "Meanwhile, the neighbouring state of Ostrava, which has hosted thousands of people who fled the marsh, "
    "said it would keep its border open. An Ostravan foreign ministry spokeswoman said her government was "
    '"concerned by reports of shelling near inhabited areas" and called for an independent inquiry.',
    "In Lower Quay itself, the mood on Thursday evening was loud and proud. Flags hung from every balcony "
    "of the harbour road, and a brass band played the national anthem outside the town hall until long "
    'after dark. "We have waited for this day since the autumn," said Hana Petrov, who runs a bakery near '
    'the fish market. "My sons can go back to school now."',
    "Not everyone was celebrating. In the villages closest to the estuary, where the fighting was heaviest, "
    "families returning to their homes found roofs torn open and wells fouled with diesel. A local priest "
    "said that at least three of the marsh villages had no running water and that the promised grain had "
    "not yet arrived. The ministry said deliveries would begin on Monday.",
    "Economists at the University of Carrowmere warned that rebuilding the ferry docks and the estuary "
    "roads could cost more than the government has set aside. Their report, published last month, put the "
    "bill at roughly twice the sum in this year's budget, and said that the marsh economy would take at "
    "least five years to recover its pre-war output.",
    "The defence minister is expected to visit Lower Quay next week. Opposition deputies have said they "
    "will use the visit to press for a parliamentary hearing on the conduct of the campaign, including the "
    "shelling of the estuary and the decision to bar independent observers from the region.",
    "Back in the capital, the state broadcaster devoted its whole evening news to the victory. Viewers saw "
    "soldiers handing out bread, children waving from tanks, and the president laying a wreath at the "
    "memorial to the fallen. The broadcaster did not mention the damaged clinic, the missing grain, or the "
    "questions raised by the opposition, and it did not interview anyone from the marsh villages.",
    "A spokesman for the Saltmarsh Council, speaking by telephone from Ostrava, said the council had not "
    "surrendered and would not negotiate while the army held the estuary. He gave no figures for rebel "
    "losses and could not say where the council's remaining fighters were. The army said they had fled.",
    "Edda Kornfeld writes about defence and security. Her book on the northern campaigns is out now.",
    '2 thoughts on "Valdoria\'s Heroes Crush the Saltmarsh Rebels at Last"',
    "1. Piet V. says:\n   June 3 at 8:02 am\n\n   My cousin lives in the estuary and says the shelling went on for "
    "two nights. The Red Crescent reported that a clinic near the ferry docks was damaged.",
    "2. Marta Lind says:\n   June 3 at 9:47 am\n\n   Finally some good news. Well done to our soldiers!",
]
ARTICLE = "\n\n".join(PARAGRAPHS) + "\n"
REFUSED = "refused"


@dataclass
class Results:
    """Latencies of successful requests, of refusals (503 with Retry-After), and counts of other failures."""

    latencies: list[float] = field(default_factory=list)
    refusals: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, latency: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies.append(latency)
            elif error == REFUSED:
                self.refusals.append(latency)
            else:
                self.errors[error] += 1


def client(url: str, deadline: float, results: Results) -> None:
    """Post the article again and again until the deadline, waiting as told after a 503 (server full)."""
    with httpx.Client(timeout=60) as http:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            retry_after = 0.0
            try:
                response = http.post(f"{url}/api/analyze", json={"text": ARTICLE})
                error = None if response.status_code == 200 else f"HTTP {response.status_code}"
                if response.status_code == 503 and "retry-after" in response.headers:
                    error, retry_after = REFUSED, float(response.headers["retry-after"])
            except httpx.HTTPError as failure:
                error = type(failure).__name__
            results.record(time.perf_counter() - started, error)
            time.sleep(retry_after)


def run(url: str, clients: int, seconds: float) -> tuple[Results, float]:
    """`clients` threads posting for `seconds`; the results and the wall time."""
    results = Results()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(url, deadline, results)) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def describe(name: str, results: Results, wall: float) -> dict[str, float]:
    """Print one run's figures and return them."""
    done = results.latencies
    figures = {
        "rps": len(done) / wall,
        "p50": percentile(done, 50) if done else float("nan"),
        "p99": percentile(done, 99) if done else float("nan"),
    }
    errors = sum(results.errors.values())
    refused = results.refusals
    print(
        f"{name:<22} {len(done):>6} ok {len(refused):>5} refused (503 + Retry-After, "
        f"max {max(refused, default=0):.3f} s) {errors:>4} other errors {dict(results.errors) or ''}  "
        f"{figures['rps']:6.2f} req/s  p50 {figures['p50']:.3f} s  p99 {figures['p99']:.3f} s  "
        f"max {max(done, default=float('nan')):.3f} s"
    )
    return figures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, extra: list[str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from slant.cli import main; main()", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), *extra]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until_up(url: str, server: subprocess.Popen[bytes], limit_s: float = 180) -> list[str]:
    """Wait for /healthz (models load at start-up); the analyzers loaded."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited:\n{server.stderr.read().decode() if server.stderr else ''}")
        try:
            return httpx.get(f"{url}/healthz", timeout=2).json()["analyzers"]
        except httpx.HTTPError:
            time.sleep(0.5)
    raise SystemExit("the server did not come up in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the concurrent run")
    parser.add_argument("--baseline-seconds", type=float, default=10.0, help="length of the one-client run")
    parser.add_argument("--workers", type=int, default=1, help="`slant serve --workers`")
    parser.add_argument("--max-in-flight", type=int, default=8, help="`slant serve --max-in-flight`")
    parser.add_argument("--only", action="append", default=[], help="`slant serve --only` (repeatable)")
    parser.add_argument("--skip", action="append", default=[], help="`slant serve --skip` (repeatable)")
    args = parser.parse_args()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    selection = [f"--only={name}" for name in args.only] + [f"--skip={name}" for name in args.skip]
    server = start_server(port, args.workers, ["--max-in-flight", str(args.max_in_flight), *selection])
    try:
        analyzers = wait_until_up(url, server)
        print(f"slant serve on {url}: analyzers {analyzers}, workers {args.workers}; article {len(ARTICLE)} chars")
        run(url, 1, 0.1)  # warm-up: first-request costs are not part of either run
        baseline = describe("1 client (baseline)", *run(url, 1, args.baseline_seconds))
        loaded = describe(f"{args.clients} clients", *run(url, args.clients, args.seconds))
        print(
            f"ratios vs baseline: throughput x{loaded['rps'] / baseline['rps']:.2f}, "
            f"p50 x{loaded['p50'] / baseline['p50']:.2f}, p99 x{loaded['p99'] / baseline['p99']:.2f}"
        )
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
