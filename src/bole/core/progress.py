"""Progress bars for long commands (`bole import`, `export`, `seed-demo`, `bench`): the same `phase`/`advance`
calls a background job's context takes (bole.core.tasks.JobContext), drawn with tqdm on stderr."""

from __future__ import annotations

import sys

from tqdm import tqdm


class Bar:
    """One bar per phase; `total=0` shows a counter with the elapsed time instead of a bar."""

    def __init__(self, *, stream=None, disable: bool | None = None, unit: str = "行"):
        self.stream = stream or sys.stderr
        self.disable = disable
        self.unit = unit
        self.bar: tqdm | None = None

    def phase(self, label: str, total: int = 0) -> None:
        self.close()
        self.bar = tqdm(total=total or None, desc=str(label), unit=self.unit, file=self.stream, disable=self.disable,
                        dynamic_ncols=True, mininterval=0.3)

    def advance(self, n: int = 1) -> None:
        if self.bar is None:
            self.phase("")
        self.bar.update(n)

    def error(self, text: str) -> None:
        tqdm.write(str(text), file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
