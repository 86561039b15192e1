"""An initiative's points (aims, contents, future direction) as lines of text, as a
spreadsheet cell holds them: one item a line, ``- `` before a sub-item, ``[段落] `` /
``[見出し] `` before a paragraph or a label."""

from django.utils.translation import gettext as _

from initiatives.models import InitiativePart, PointStyle, grouped_by_part

SUB_ITEM = "- "
STYLE_MARKERS = {PointStyle.PARAGRAPH: "[段落] ", PointStyle.LABEL: "[見出し] "}
BARE_MARKERS = {SUB_ITEM.strip(), *(marker.strip() for marker in STYLE_MARKERS.values())}


def encode_points(points) -> str:
    """Points as lines of text: ``(depth, style, text)`` tuples or InitiativePoints."""
    lines = []
    for point in points:
        depth, style, text = point if isinstance(point, tuple) else point_key(point)
        lines.append(f"{SUB_ITEM if depth else ''}{STYLE_MARKERS.get(style, '')}{text}")
    return "\n".join(lines)


def decode_points(value) -> list[tuple[int, str, str]]:
    """The inverse of encode_points; raises ValueError for a marker without text."""
    points = []
    for line in str(value or "").splitlines():
        line = line.rstrip()
        if not line.strip():
            continue
        depth = 0
        if line.startswith(SUB_ITEM):
            depth, line = 1, line[len(SUB_ITEM) :]
        style = PointStyle.BULLET
        for candidate, marker in STYLE_MARKERS.items():
            if line.startswith(marker):
                style, line = candidate, line[len(marker) :]
        if not line.strip() or line.strip() in BARE_MARKERS:
            raise ValueError(
                _("Item %(number)s has a marker but no text.") % {"number": len(points) + 1}
            )
        points.append((depth, str(style), line))
    return points


def point_key(point) -> tuple[int, str, str]:
    return (point.depth, point.style, point.text.replace("\r\n", "\n").replace("\n", " "))


def points_by_part(initiative) -> dict[str, list[tuple[int, str, str]]]:
    points = initiative.points.all() if initiative.pk is not None else []
    groups = grouped_by_part(points, InitiativePart.values)
    return {part: [point_key(point) for point in group] for part, group in groups.items()}
