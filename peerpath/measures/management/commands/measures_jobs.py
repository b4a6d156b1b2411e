from django.core.management.base import BaseCommand

from peerpath.measures import library, tasks


class Command(BaseCommand):
    help = "Load the shipped instrument library, create the daily measures schedule, and optionally run the scan now."

    def add_arguments(self, parser):
        parser.add_argument("--run-now", action="store_true", help="run the due/missed scan once, now")

    def handle(self, *args, **options):
        self.stdout.write(f"instruments loaded: {library.load_shipped()}")
        self.stdout.write(f"schedule: {tasks.ensure_schedule()}")
        if options["run_now"]:
            self.stdout.write(str(tasks.scan_due_measures()))
