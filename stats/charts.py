"""Geometry of the statistics charts, rendered as inline SVG by `templates/stats/statistics.html`.

Pure functions: numbers in, rectangles out. No JavaScript and no chart library: each chart is a
picture of the table printed under it, which is what a screen reader reads.
"""

from dataclasses import dataclass

from .aggregate import NA

WIDTH = 640
LABEL_WIDTH = 180
ROW_HEIGHT = 22
BAR_HEIGHT = 16
PLOT_HEIGHT = 160

ANSWER_COLOURS = {
    "agree": "#1a7f37",
    "neutral": "#8c959f",
    "disagree": "#cf222e",
    "skip": "#d0d7de",
}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str = ""
    text: str = ""


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "end"  # SVG text-anchor


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[Label]


def _scale(value: float | None, top: float, length: float) -> float:
    if not value or not top:
        return 0.0
    return round(length * value / top, 1)


def _short(label: str, length: int = 28) -> str:
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def _shown(value, unit: str, threshold: int) -> str:
    if value is None:
        return f"<{threshold}"
    return "–" if value is NA else f"{value:g}{unit}"


def columns(points: list[tuple[str, int | None]], threshold: int, colour: str = "#0b57d0"):
    """Vertical bars, one per point (completions per day); a suppressed point has no bar."""
    step = (WIDTH - 40) / max(len(points), 1)
    top = max((v for _, v in points if v), default=0)
    bars = []
    for i, (label, value) in enumerate(points):
        height = _scale(value, top, PLOT_HEIGHT)
        bars.append(
            Bar(
                x=round(20 + i * step + step * 0.1, 1),
                y=round(10 + PLOT_HEIGHT - height, 1),
                width=round(step * 0.8, 1),
                height=height,
                colour=colour,
                label=label,
                text=_shown(value, "", threshold),
            )
        )
    first_last = [bars[0], bars[-1]] if len(bars) > 1 else bars
    labels = [Label(b.x + b.width / 2, PLOT_HEIGHT + 26, b.label, "middle") for b in first_last]
    return Chart(WIDTH, PLOT_HEIGHT + 36, bars, labels)


def bars(
    rows: list[tuple[str, float | None, str]], threshold: int, top: float = 100, unit: str = "%"
):
    """Horizontal bars, one per row of (label, value, colour), on a scale of 0 to `top`."""
    length = WIDTH - LABEL_WIDTH - 60
    drawn, labels = [], []
    for i, (label, value, colour) in enumerate(rows):
        y = i * ROW_HEIGHT + 3
        width = _scale(value, top, length)
        text = _shown(value, unit, threshold)
        drawn.append(Bar(LABEL_WIDTH, y, width, BAR_HEIGHT, colour, label, text))
        labels.append(Label(LABEL_WIDTH - 6, y + BAR_HEIGHT - 4, _short(label)))
        labels.append(Label(LABEL_WIDTH + width + 4, y + BAR_HEIGHT - 4, text, "start"))
    return Chart(WIDTH, len(rows) * ROW_HEIGHT + 6, drawn, labels)


def stacked(rows: list[tuple[str, dict[str, int | None]]], colours: dict[str, str]):
    """One bar per row, split into the shares of each series (answers per statement). Suppressed
    counts are left out of the bar, which then stops short of the full width."""
    length = WIDTH - LABEL_WIDTH - 10
    drawn, labels = [], []
    for i, (label, counts) in enumerate(rows):
        y = i * ROW_HEIGHT + 3
        total = sum(v for v in counts.values() if v)
        x = float(LABEL_WIDTH)
        for series, colour in colours.items():
            width = _scale(counts.get(series), total, length)
            if width:
                drawn.append(Bar(round(x, 1), y, width, BAR_HEIGHT, colour, series))
            x += width
        labels.append(Label(LABEL_WIDTH - 6, y + BAR_HEIGHT - 4, _short(label)))
    return Chart(WIDTH, len(rows) * ROW_HEIGHT + 6, drawn, labels)


def for_report(report) -> dict[str, Chart]:
    """The charts of the statistics page, each drawing one of the report's tables."""
    threshold = report.threshold
    return {
        "days": columns([(d.isoformat(), n) for d, n in report.days], threshold),
        "statements": stacked(
            [
                (
                    f"{s.number}. {s.title}",
                    {a: getattr(s, a) for a in ANSWER_COLOURS},
                )
                for s in report.statements
            ],
            ANSWER_COLOURS,
        ),
        "best": bars([(p.name, p.best_share, p.colour) for p in report.parties], threshold),
        "mean": bars([(p.name, p.mean, p.colour) for p in report.parties], threshold, unit=""),
    }
