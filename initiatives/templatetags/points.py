from django import template

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
