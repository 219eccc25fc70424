"""Settings for a real `db_worker` a test starts in its own process: the test settings, with
tasks queued in the database (as in production) and the exports folder the test chose."""

import os
from pathlib import Path

from portal.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PRIVATE_EXPORTS_ROOT = Path(os.environ["PRIVATE_EXPORTS_ROOT"])
