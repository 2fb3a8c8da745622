"""Does a PDF export stall the other meetings? (issue 19, item 4; a script, not a test)

    .venv/bin/python bench/export_stall.py                 # 10 meetings x 10 clients, 60 s
    .venv/bin/python bench/export_stall.py --meetings 4 --duration 20 --baseline 8 --items 50

Runs bench/load.py against the app only (wsgi.py on eventlet, real join pages, real
sockets): M meetings of 10 clients each add, edit and move items, one op every 2 s per
client. After --baseline seconds (20) of that alone, a signed-in staff session downloads a
meeting of --items items (300) as a PDF again and again until the end of --duration (60),
pausing --pause seconds (3) after each. Each op in the other meetings is classed by when
it was sent: while a PDF was rendering, or not (the baseline and the pauses; bench/load.py
export_figures). Printed: op -> delivery p50/p95/p99 in both classes, their p99 ratio
(the bar: within 2x), the PDFs' times, the server's and the render workers' peak RSS, and
the machine's load average before and after (a shared machine shows above 2).

Exit status: 1 if an op was lost, duplicated or refused, an export failed or the event log
disagrees (bench/load.py's checks); timings never change it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import load  # noqa: E402

BAR = 2.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=10)
    parser.add_argument("--clients-per-meeting", type=int, default=10)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of steady load")
    parser.add_argument(
        "--baseline", type=float, default=20.0,
        help="seconds of the steady load before the first PDF (the 'without', same run)",
    )  # fmt: skip
    parser.add_argument("--items", type=int, default=300, help="items in the exported meeting")
    parser.add_argument("--pause", type=float, default=3.0, help="seconds after each PDF")
    parser.add_argument("--nice", type=int, default=0, help="as bench/load.py --nice")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "load.json"
        code = load.main([
            "--only", "app", "--meetings", str(args.meetings), "--duration", str(args.duration),
            "--clients-per-meeting", str(args.clients_per_meeting),
            "--export-items", str(args.items), "--export-every", str(args.pause),
            "--export-start", str(args.baseline),
            "--export-formats", "pdf", "--nice", str(args.nice), "--json", str(figures),
        ])  # fmt: skip
        if not figures.exists():
            return code or 1
        (result,) = json.loads(figures.read_text())["results"]
    load_after = os.getloadavg()
    x = result["exports"]
    during, idle = x["latency_during_ms"], x["latency_idle_ms"]
    ratio = during["p99"] / idle["p99"] if idle["p99"] else float("nan")
    busy = max(load_before[0], load_after[0]) > 2
    summary = {
        "meetings": args.meetings, "items": args.items, "duration_s": args.duration,
        "pdfs": x["formats"]["pdf"], "exports_failed": x["failed"],
        "share_of_window_rendering": x["busy_share"],
        "other_meetings_ms_while_rendering": during, "other_meetings_ms_otherwise": idle,
        "p99_ratio": round(ratio, 2), "bar": BAR,
        "server_rss_peak_mb": result["server_rss_mb"],
        "render_workers_rss_peak_mb": x["render_workers_rss_mb"],
        "load_average_before": [round(v, 2) for v in load_before],
        "load_average_after": [round(v, 2) for v in load_after],
        "busy_shared_machine": busy,
        "lost": result["lost"], "duplicated": result["duplicated"],
    }  # fmt: skip
    print(json.dumps(summary, indent=1))
    print(
        f"other meetings' p99 while a {args.items}-item PDF renders: {during['p99']} ms, "
        f"otherwise {idle['p99']} ms: {ratio:.2f}x (bar {BAR}x)"
        + (" -- measured on a busy shared machine (load average above 2)" if busy else "")
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(summary, indent=2))
    return code


if __name__ == "__main__":
    sys.exit(main())
