"""Install the review forms Peerless ships (Peerless balanced, TMLR, NeurIPS-style)."""

from django.core.management.base import BaseCommand

from reviews.services.forms import review_forms_install


class Command(BaseCommand):
    help = "Install the shipped review form templates that are missing."

    def handle(self, *args, **options):
        created = review_forms_install()
        for form in created:
            self.stdout.write(f"Installed {form}.")
        if not created:
            self.stdout.write("All shipped review forms are installed.")
