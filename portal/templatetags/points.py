from django import template

from initiatives.models import grouped_by_part

register = template.Library()


@register.filter
def nested(points):
    """Group a flat, ordered list of points into items with their sub-items.

    Returns ``[(point, [child, …]), …]``: a point of depth 1 belongs to the
    nearest point of depth 0 before it.
    """
    tree = []
    for point in points:
        if point.depth and tree:
            tree[-1][1].append(point)
        else:
            tree.append((point, []))
    return tree


@register.filter
def by_part(points):
    """Group points by their ``part`` in the order the part's choices are declared.

    Returns ``[(part, label, [point, …]), …]`` without empty parts: the database orders
    points by the part's stored value, which is not the report's order.
    """
    points = list(points)
    if not points:
        return []
    choices = points[0]._meta.get_field("part").choices
    groups = grouped_by_part(points, [value for value, _label in choices])
    return [(value, label, groups[value]) for value, label in choices if groups[value]]
