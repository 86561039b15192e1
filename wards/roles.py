"""The portal's roles. Each is a Django group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WARD_STAFF = "ward-staff", _("ward staff")  # 区職員
    SECRETARIAT = "secretariat", _("secretariat")  # 事務局
    COMMITTEE = "committee", _("committee member")  # 自治推進委員
