from django.dispatch import Signal

# Sent with ``pks`` after initiatives' points are written in bulk, which sends no post_save:
# whatever mirrors an initiative's points (the search index) listens to this as well.
initiative_points_replaced = Signal()

# Sent with ``pks`` after an import wrote initiatives in bulk (their fields, departments
# and points), which sends no post_save nor m2m_changed: the search index listens.
initiatives_imported = Signal()
