"""`manage.py db_worker`, the real worker in a process of its own, making exports slowly: two
responses a batch and a pause after each heartbeat, so a test can kill it half-way through one.

Run as `python -m tests.consultations.slow_export_worker` with DATABASE_URL and
PRIVATE_EXPORTS_ROOT set (tests/consultations/test_export_recovery.py does).
"""

import os
import time

PAUSE_SECONDS = 0.3


def main():
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.consultations.worker_settings"
    import django

    django.setup()
    from django.core.management import call_command

    from consultations.spreadsheets import exports, tasks

    exports.BATCH = 2
    beat = tasks.beat

    def slow_beat(export_id):
        beat(export_id)
        time.sleep(PAUSE_SECONDS)

    tasks.beat = slow_beat
    call_command("db_worker", startup_delay=False, interval=0.1, reload=False, verbosity=0)


if __name__ == "__main__":
    main()
