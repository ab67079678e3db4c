"""Reading an uploaded file in the background of the server: the upload is saved in
the instance folder, a thread reads it on the worker pool (runner.py) into the staging
tables, and the file is deleted once read. Progress is in the `scan_batch` row, so
whichever server worker answers the page's next poll sees it."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from werkzeug.datastructures import FileStorage

from ..ballots.jobs import HasConfig
from ..errors import AppError
from ..store import connect
from .staging import create_batch, read_file

log = logging.getLogger(__name__)

UPLOAD_FOLDER = "scan_batches"


def start_batch(app: HasConfig, db, round_id: int, upload: FileStorage, user_id: int | None,
                actor: str) -> int:
    """Stage the upload as a new batch of `round_id` and start reading it; returns its id."""
    name = Path(upload.filename or "scan").name
    batch_id = create_batch(db, round_id, name, user_id, actor)
    folder = Path(app.config["INSTANCE_DIR"]) / UPLOAD_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{batch_id}.upload"
    upload.save(path)
    thread = threading.Thread(target=_read, name=f"scan-batch-{batch_id}", daemon=True,
                              args=(app.config["DATABASE"], batch_id, path, app.config["BALLOT_KEY"]))
    thread.start()
    return batch_id


def _read(database: str, batch_id: int, path: Path, key: str) -> None:
    db = connect(database)
    try:
        read_file(db, batch_id, path, key=key)
    except AppError:
        pass  # the batch is marked failed with its code; the page shows why
    except Exception:  # noqa: BLE001  (any failure ends the batch; nothing was counted)
        log.exception("scan batch %s failed", batch_id)
    finally:
        path.unlink(missing_ok=True)
        db.close()
