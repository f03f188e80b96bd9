"""`naervaer rules evaluate FILE`: evaluate one person's days (JSON in, JSON out; see docs/rules-cli.md).

Bad input exits with status 2 and one message on stderr naming the field and the rule.
"""

from __future__ import annotations

import argparse
import sys

EXIT_BAD_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="rules_command", required=True, metavar="SUBCOMMAND")
    evaluate = sub.add_parser(
        "evaluate",
        help="evaluate a person's days as JSON (cases, employer period, max date, milestones)",
    )
    evaluate.add_argument("file", metavar="FILE", help="request JSON file, or - for stdin")
    evaluate.add_argument("--indent", type=int, default=2, help="JSON indent (default 2)")


def run(args: argparse.Namespace) -> int:
    import json

    from naervaer.rules.evaluate import RequestError, evaluate

    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            with open(args.file, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        print(f"naervaer rules evaluate: {args.file}: {exc.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        request = json.loads(text)
    except json.JSONDecodeError as exc:
        print(f"naervaer rules evaluate: {args.file}: not valid JSON: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RecursionError:
        print(
            f"naervaer rules evaluate: {args.file}: not a request: lists or objects nested too deeply",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        answer = evaluate(request)
    except RequestError as exc:
        print(f"naervaer rules evaluate: {args.file}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(answer, indent=args.indent, ensure_ascii=False))
    return 0
