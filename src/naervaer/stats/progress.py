"""Progress for long runs: a tqdm bar on a terminal, silence otherwise (logs, pipes, tests)."""

from __future__ import annotations

import sys


class Progress:
    """Counts named steps; shows them with tqdm only when enabled and stderr is a TTY."""

    def __init__(self, total: int, enabled: bool = True, description: str = "stats") -> None:
        self.bar = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=description, file=sys.stderr, leave=False)

    def step(self, label: str) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(label)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
