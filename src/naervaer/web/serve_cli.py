"""`naervaer serve` — the web application on a production WSGI server (waitress).

Static files are served by WhiteNoise from ``var/static`` (run ``collectstatic`` first; ``make demo``
does), so the system runs on an intranet with no internet access.
"""

from __future__ import annotations

import argparse

NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--demo-logins", action="store_true", help="print the demo users and their password"
    )


def demo_login_lines() -> list[str]:
    """The demo users, one per role, as lines to print at start-up."""
    from naervaer.demo.load import DEMO_PASSWORD, DEMO_USERS

    width = max(len(username) for username, _, _ in DEMO_USERS)
    lines = [f"Demo-brukere (passord for alle: {DEMO_PASSWORD}):"]
    lines += [
        f"  {username.ljust(width)}  {description}" for username, _role, description in DEMO_USERS
    ]
    return lines


def run(args: argparse.Namespace) -> int:
    from waitress import serve

    from naervaer.insight.warmup import warm_up
    from naervaer.web.wsgi import application

    warm_up()
    print(f"Nærvær kjører på http://{args.host}:{args.port}/  (Ctrl+C for å stoppe)", flush=True)
    if args.demo_logins:
        print("\n".join(demo_login_lines()), flush=True)
    serve(application, host=args.host, port=args.port, threads=args.threads)
    return 0
