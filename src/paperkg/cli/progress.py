"""A progress display for long commands, on stderr so stdout stays clean for results."""

from __future__ import annotations

import sys
import time

import click


class ProgressPrinter:
    """Callable ``(stage, done, total)``; draws a bar on a terminal, a line per stage otherwise."""

    def __init__(self, enabled: bool = True, min_interval: float = 0.1) -> None:
        self.enabled = enabled
        self.interactive = sys.stderr.isatty()
        self.min_interval = min_interval
        self._last = 0.0
        self._stage: str | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.enabled and self.interactive and self._stage:
            click.echo("", err=True)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.interactive:
            if stage != self._stage and self._stage:
                click.echo("", err=True)
            if stage == self._stage and done < total and now - self._last < self.min_interval:
                return
            width = 30
            filled = int(width * done / total) if total else width
            click.echo(f"\r{stage:<8} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
                       err=True, nl=False)
        elif stage != self._stage:
            click.echo(f"{stage}...", err=True)
        self._stage, self._last = stage, now
