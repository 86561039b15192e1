"""Move the open data's version (``portal.open_data.freshness``) whenever an exported model
changes, so that its files, counts, ETag and Last-Modified follow the data."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from initiatives.models import ReformPlan
from initiatives.signals import initiative_points_replaced
from portal.open_data import freshness
from portal.open_data.datasets import exported_models

# The files' own models, read from their declarations so that a new file is followed
# too; and the reform plan, whose title the pillars file shows.
EXPORTED = exported_models() | {ReformPlan}
# The user's name shows on their comments.
NAMED = ("auth.user",)


@receiver(post_save)
@receiver(post_delete)
def exported_data_changed(sender, update_fields=None, **kwargs):
    # A sign-in saves the user's last_login alone, which no file shows.
    renamed = sender._meta.label_lower in NAMED and set(update_fields or ()) != {"last_login"}
    if sender in EXPORTED or renamed:
        freshness.move()


@receiver(m2m_changed)
def exported_links_changed(sender, action, **kwargs):
    # An initiative's departments and pillars are files of their own (their link tables).
    if sender in EXPORTED and action.startswith("post_"):
        freshness.move()


@receiver(initiative_points_replaced)
def points_replaced(sender, **kwargs):
    freshness.move()
