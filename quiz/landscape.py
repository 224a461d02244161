"""The political landscape: the voter and the parties on two axes, as Kieskompas draws them.

Editors put some statements on the horizontal axis ("x") or the vertical axis ("y"), each with a
direction: +1 when agreeing moves toward the positive end (right, or up), -1 when agreeing moves
toward the negative end. A position on one axis is the mean of `value x direction` over the
statements on that axis, with eens = +1, neutraal = 0, oneens = -1; so it lies between -1 and +1.
Statements the voter skipped, or on which a party has no stance, are left out of that mean; a
statement that matters more to the voter does not count double here. Without any statement to
go on for an axis, there is no position, and that dot is not drawn.

Pure functions, no database. The rules are published on the methodology page; change them only
together with that page and `tests/quiz/test_landscape.py`.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

AXES = ("x", "y")

# Drawing area of the SVG, in its own units: a square plot inside a margin for the axis labels.
SIZE = 360
MARGIN = 30

_ENDS = re.compile(r"\s+[–—-]\s+")

# Label sizes at the SVG's 12px font, estimated (the server cannot measure text): a character
# is at most about 7 units wide, and a line reaches 10 above its baseline and 3 below.
CHAR_WIDTH = 7.0
ASCENT, DESCENT = 10.0, 3.0
DOT_RADIUS = 7.0
MARKER_RADIUS = 9.0

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Label:
    """Where a label is written: its anchor point and SVG `text-anchor`."""

    text: str
    x: float
    y: float
    anchor: str = "start"

    @property
    def box(self) -> Box:
        width = CHAR_WIDTH * len(self.text)
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        return (left, self.y - ASCENT, left + width, self.y + DESCENT)


def overlap(a: Box, b: Box) -> float:
    """The area two boxes have in common (0 when they do not touch)."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0) * max(height, 0)


def _square(x: float, y: float, r: float) -> Box:
    return (x - r, y - r, x + r, y + r)


def _outside(box: Box) -> float:
    return box[0] < 0 or box[1] < 0 or box[2] > SIZE or box[3] > SIZE


@dataclass(frozen=True)
class Dot:
    label: str
    x: float
    y: float
    colour: str = "#1b1b1f"
    voter: bool = False

    @property
    def cx(self) -> float:
        return round(MARGIN + (self.x + 1) / 2 * (SIZE - 2 * MARGIN), 1)

    @property
    def cy(self) -> float:
        return round(MARGIN + (1 - self.y) / 2 * (SIZE - 2 * MARGIN), 1)

    @property
    def label_on_left(self) -> bool:
        """Labels near the right edge are written to the left of the dot."""
        return self.x > 0.4

    @property
    def diamond(self) -> str:
        """The voter's marker: a diamond around the spot, as SVG polygon points."""
        r = 9
        x, y = self.cx, self.cy
        return f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"


@dataclass(frozen=True)
class Landscape:
    x_label: str
    y_label: str
    voter: Dot | None
    parties: tuple[Dot, ...]
    unplaced: tuple[str, ...]

    @property
    def x_ends(self) -> tuple[str, str]:
        return axis_ends(self.x_label)

    @property
    def y_ends(self) -> tuple[str, str]:
        return axis_ends(self.y_label)

    @property
    def axis_labels(self) -> tuple[Label, ...]:
        """The ends of both axes: beside the middle line, above and below the plot."""
        middle, edge = SIZE / 2, SIZE - MARGIN
        (left, right), (bottom, top) = self.x_ends, self.y_ends
        return (
            Label(left, MARGIN + 6, middle - 8, "start"),
            Label(right, edge - 6, middle - 8, "end"),
            Label(top, middle, MARGIN - 8, "middle"),
            Label(bottom, middle, SIZE - 10, "middle"),
        )

    @property
    def labelled(self) -> tuple[tuple[Dot, Label], ...]:
        """The party dots, grouped, each with its label."""
        axes = self.axis_labels
        return tuple((dot, party_label(dot, self.voter, axes)) for dot in self.groups)

    @property
    def voter_label(self) -> Label | None:
        if self.voter is None:
            return None
        return voter_label(self.voter, self.labelled, self.axis_labels)

    @property
    def groups(self) -> tuple[Dot, ...]:
        """Party dots that fall on one spot, drawn once with their labels joined."""
        spots: dict[tuple[float, float], list[Dot]] = {}
        for dot in self.parties:
            spots.setdefault((round(dot.x, 2), round(dot.y, 2)), []).append(dot)
        return tuple(
            Dot(", ".join(d.label for d in dots), dots[0].x, dots[0].y, dots[0].colour)
            for dots in spots.values()
        )


def party_label(dot: Dot, voter: Dot | None, fixed: Sequence[Label] = ()) -> Label:
    """Beside the dot, toward the middle; else on its other side, below or above it: the first
    spot that covers neither the voter's marker nor a `fixed` label (the axis ends); where
    every spot covers something, the one that covers the marker least, then the labels."""
    x, y, text = dot.cx, dot.cy, dot.label
    right = Label(text, round(x + 11, 1), round(y + 4, 1), "start")
    left = Label(text, round(x - 11, 1), round(y + 4, 1), "end")
    spots = [left, right] if dot.label_on_left else [right, left]
    spots += [
        Label(text, x, round(y + 21, 1), "middle"),
        Label(text, x, round(y - 11, 1), "middle"),
    ]
    marker = _square(voter.cx, voter.cy, MARKER_RADIUS) if voter else None

    def covered(spot: Label) -> tuple[bool, float, float]:
        on_marker = overlap(spot.box, marker) if marker else 0
        return _outside(spot.box), on_marker, sum(overlap(spot.box, f.box) for f in fixed)

    return min(spots, key=covered)


def voter_label(
    voter: Dot, parties: Sequence[tuple[Dot, Label]], fixed: Sequence[Label] = ()
) -> Label:
    """Above the voter's marker, else below, right or left of it: the first spot inside the
    drawing that covers no party's dot or label nor a `fixed` label; else the least covered."""
    x, y, text = voter.cx, voter.cy, voter.label
    spots = [
        Label(text, x, round(y - 14, 1), "middle"),
        Label(text, x, round(y + 23, 1), "middle"),
        Label(text, round(x + 13, 1), round(y + 4, 1), "start"),
        Label(text, round(x - 13, 1), round(y + 4, 1), "end"),
    ]
    taken = [
        box for dot, label in parties for box in (_square(dot.cx, dot.cy, DOT_RADIUS), label.box)
    ] + [label.box for label in fixed]

    def covered(spot: Label) -> tuple[bool, float]:
        return _outside(spot.box), sum(overlap(spot.box, box) for box in taken)

    return min(spots, key=covered)


def axis_ends(label: str) -> tuple[str, str]:
    """'links – rechts' -> ('links', 'rechts'): the negative end first, as editors write it."""
    parts = _ENDS.split(label.strip(), maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1]
    return "", label.strip()


def axis_position(
    values: Mapping[int, int | None], axes: Mapping[int, tuple[str, int]], axis: str
) -> float | None:
    """Mean of value x direction over the statements on `axis` that have a value."""
    scores = [
        values[statement] * direction
        for statement, (on, direction) in axes.items()
        if on == axis and values.get(statement) is not None
    ]
    if not scores:
        return None
    return sum(scores) / len(scores)


def place(
    values: Mapping[int, int | None], axes: Mapping[int, tuple[str, int]]
) -> tuple[float, float] | None:
    """(x, y) between -1 and +1, or None when either axis has nothing to go on."""
    x, y = (axis_position(values, axes, axis) for axis in AXES)
    if x is None or y is None:
        return None
    return x, y


def build(
    x_label: str,
    y_label: str,
    axes: Mapping[int, tuple[str, int]],
    voter_values: Mapping[int, int | None],
    parties: Sequence[tuple[str, str, Mapping[int, int | None]]],
    voter_label: str = "Jij",
) -> Landscape | None:
    """The landscape for one voter, or None when the election has no two axes to draw.

    `axes` maps statement id to (axis, direction); `parties` holds (label, colour, positions).
    """
    if not (x_label and y_label):
        return None
    if any(not any(on == axis for on, _ in axes.values()) for axis in AXES):
        return None
    spot = place(voter_values, axes)
    voter = Dot(voter_label, *spot, voter=True) if spot else None
    dots, unplaced = [], []
    for label, colour, positions in parties:
        spot = place(positions, axes)
        if spot is None:
            unplaced.append(label)
        else:
            dots.append(Dot(label, *spot, colour=colour))
    return Landscape(x_label, y_label, voter, tuple(dots), tuple(unplaced))
