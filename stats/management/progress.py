"""A one-line progress bar for the statistics commands, shown only on a terminal."""

import time

WIDTH = 30


class Progress:
    def __init__(self, stream, label: str, total: int | None = None):
        self.stream, self.label, self.total = stream, label, total
        self.enabled = stream.isatty()
        self.started = time.perf_counter()

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        rate = done / max(time.perf_counter() - self.started, 1e-9)
        if self.total:
            filled = min(WIDTH, WIDTH * done // self.total)
            bar = f"[{'#' * filled}{'-' * (WIDTH - filled)}] {done:,}/{self.total:,}"
        else:
            bar = f"{done:,}"
        self.stream.write(f"\r{self.label} {bar} ({rate:,.0f}/s)", ending="")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("")
