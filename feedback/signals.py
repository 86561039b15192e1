from django.dispatch import Signal

# Sent with ``pks`` after comments change through a conditional UPDATE, which sends no
# post_save: whatever mirrors comments (the search index) listens to this as well.
comments_changed = Signal()
