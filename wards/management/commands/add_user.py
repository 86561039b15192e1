import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wards.models import Ward
from wards.roles import Role
from wards.services import user_create


class Command(BaseCommand):
    help = (
        "Create an account with a role: ward-staff (with --ward), secretariat or committee. "
        "The password comes from the PASSWORD environment variable, or is asked for."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument("--ward", help="The ward's slug, for ward staff (e.g. saiwai).")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, ward, email, **options):
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r}: choose one of {', '.join(Role.values)}.")
        if role == Role.WARD_STAFF and not ward:
            raise CommandError("Ward staff need --ward SLUG.")
        if role != Role.WARD_STAFF and ward:
            raise CommandError("Only ward staff take --ward.")
        ward_obj = None
        if ward:
            try:
                ward_obj = Ward.objects.get(slug=ward)
            except Ward.DoesNotExist:
                slugs = ", ".join(Ward.objects.values_list("slug", flat=True)) or "none loaded"
                raise CommandError(f"Unknown ward {ward!r}: known wards are {slugs}.") from None
        if get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"The user {username!r} exists already.")

        password = os.environ.get("PASSWORD") or self.ask_password()
        user_model = get_user_model()
        try:
            validate_password(password, user_model(username=username, email=email))
            user = user_create(
                username=username, password=password, role=Role(role), ward=ward_obj, email=email
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        where = f" for {ward_obj.slug}" if ward_obj else ""
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({role}{where})."))

    def ask_password(self):
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        if not password:
            raise CommandError("The password is empty.")
        return password
