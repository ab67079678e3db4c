"""Print jobs started from the admin page: the PDF is made in a background thread into
the instance folder, with its progress in a small JSON file beside it, so that whichever
server worker answers the next poll can read it. A job whose file stops moving for
STALE_SECONDS (its worker died) is reported as failed. Nothing is stored for a job that
fails (app/ballots/printing.py is all or nothing).
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from ..errors import AppError, Kind
from ..i18n import register, t
from ..security.secrecy import check_batch_size
from ..store import connect
from ..store.clock import now
from .issue import MAX_PER_BATCH, open_round_row
from .pdf import FontMissing, find_font
from .printing import print_ballots
from .round_layout import round_layout

log = logging.getLogger(__name__)


class HasConfig(Protocol):
    """What a print job needs of the application: its settings (the Flask app)."""

    @property
    def config(self) -> Mapping[str, Any]: ...


JOB_FOLDER = "print_jobs"
STALE_SECONDS = 120
_JOB_ID = re.compile(r"^[0-9a-f]{16}$")

register({
    "ballots.job_not_found": {"zh-CN": "找不到该印制任务。", "en": "No such print job."},
    "ballots.job_not_done": {"zh-CN": "印制任务尚未完成，请稍候。",
                             "en": "The print job is not finished yet; please wait."},
    "ballots.job_interrupted": {"zh-CN": "印制任务中断（服务进程已停止），未保存任何选票编号，请重新印制。",
                                "en": "The print job was interrupted; no serials were stored. "
                                      "Print again."},
    "ballots.job_downloaded": {"zh-CN": "该批选票的 PDF 已下载并已从服务器删除"
                                        "（为保护投票秘密，不保留副本）。"
                                        "如未能打印，请按张数作废该批并重新印制。",
                               "en": "This batch's PDF was downloaded and deleted from the server "
                                     "(no copy is kept, for ballot secrecy). If it did not print, "
                                     "void the batch by count and print again."},
    "ballots.font_unavailable": {"zh-CN": "服务器缺少中文字体，无法印制选票：请安装 fonts-noto-cjk。",
                                 "en": "The server lacks a CJK font to print ballots: "
                                       "install fonts-noto-cjk."},
})


def job_dir(app: HasConfig) -> Path:
    return Path(app.config["INSTANCE_DIR"]) / JOB_FOLDER


def _write(path: Path, state: dict[str, Any]) -> None:
    """Replace the job file atomically, so a reader never sees half of it."""
    state = {**state, "updated_at": now(), "updated_ts": time.time()}
    partial = path.with_suffix(f".{threading.get_ident()}.tmp")
    partial.write_text(json.dumps(state, ensure_ascii=False))
    os.replace(partial, path)


def start_print_job(app: HasConfig, db, round_id: int, count: int, actor: str) -> dict[str, Any]:
    """Check what can be checked at once (4xx now rather than a failed job), then print in
    a thread. Returns the job's first state."""
    if not 1 <= count <= MAX_PER_BATCH:
        raise AppError(Kind.INVALID, "bad_count", "ballots.bad_count", count=count, low=1, high=MAX_PER_BATCH)
    row = open_round_row(db, round_id)
    check_batch_size(db, round_id, count)
    round_layout(db, round_id)  # refuses a round whose ballot cannot be laid out
    try:
        find_font()
    except FontMissing:
        raise AppError(Kind.UNAVAILABLE, "font_unavailable", "ballots.font_unavailable") from None
    folder = job_dir(app)
    folder.mkdir(parents=True, exist_ok=True)
    job_id = secrets.token_hex(8)
    path = folder / f"{job_id}.json"
    state = {"id": job_id, "round_id": round_id, "contest_id": row.contest_id, "count": count,
             "state": "running", "done": 0, "batch": None, "error": None, "created_at": now()}
    _write(path, state)
    thread = threading.Thread(target=_run, name=f"print-{job_id}", daemon=True,
                              args=(app.config["DATABASE"], app.config["BALLOT_KEY"], folder, state,
                                    actor))
    thread.start()
    return state


def _run(database: str, key: str, folder: Path, state: dict[str, Any], actor: str) -> None:
    path = folder / f"{state['id']}.json"
    last = 0.0

    def progress(done: int, _total: int) -> None:
        nonlocal last
        if time.monotonic() - last >= 0.3:
            last = time.monotonic()
            state["done"] = done
            _write(path, state)

    db = connect(database)
    try:
        printed = print_ballots(db, state["round_id"], state["count"], folder / f"{state['id']}.pdf",
                                key=key, actor=actor, progress=progress)
        state.update(state="done", done=state["count"], batch=printed.batch)
    except AppError as error:
        state.update(state="failed", error={"code": error.code, "key": error.message_key,
                                            "params": error.params})
    except Exception:  # noqa: BLE001  (any failure ends the job; nothing was stored)
        log.exception("print job %s failed", state["id"])
        state.update(state="failed", error={"code": "server_error", "key": "server_error",
                                            "params": {}})
    finally:
        db.close()
    _write(path, state)


def job_state(app: HasConfig, job_id: str) -> dict[str, Any]:
    """The job as the API shows it, with the error message in the reader's language."""
    if not _JOB_ID.match(job_id):
        raise AppError(Kind.NOT_FOUND, "job_not_found", "ballots.job_not_found")
    path = job_dir(app) / f"{job_id}.json"
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        raise AppError(Kind.NOT_FOUND, "job_not_found", "ballots.job_not_found") from None
    if state["state"] == "running" and time.time() - state["updated_ts"] > STALE_SECONDS:
        state.update(state="failed", error={"code": "job_interrupted",
                                            "key": "ballots.job_interrupted", "params": {}})
    error = state.get("error")
    if error:
        state["error"] = {"code": error["code"], "message": t(error["key"], **error["params"])}
    state["download_url"] = (f"/api/print-jobs/{job_id}/pdf"
                             if state["state"] == "done" and not state.get("downloaded") else None)
    return state


def delete_job(app: HasConfig, job_id: str) -> None:
    """Remove a finished or failed job's files. The PDF lists the serials in the order the
    sheets are stacked, so it is deleted once printed (R10: nothing kept could help match a
    sheet handed out to a serial)."""
    state = job_state(app, job_id)
    if state["state"] == "running":
        raise AppError(Kind.CONFLICT, "job_not_done", "ballots.job_not_done", state=state["state"])
    folder = job_dir(app)
    (folder / f"{job_id}.pdf").unlink(missing_ok=True)
    (folder / f"{job_id}.json").unlink(missing_ok=True)


def job_pdf(app: HasConfig, job_id: str) -> tuple[Path, dict[str, Any]]:
    """The finished job's PDF file (refused once it has been downloaded)."""
    state = job_state(app, job_id)
    if state["state"] != "done":
        raise AppError(Kind.CONFLICT, "job_not_done", "ballots.job_not_done", state=state["state"])
    if state.get("downloaded"):
        raise AppError(Kind.GONE, "job_downloaded", "ballots.job_downloaded")
    return job_dir(app) / f"{job_id}.pdf", state


def take_pdf(path: Path) -> bytes:
    """The PDF's bytes, the file deleted as it is read (R10: the sheet order is never kept
    on the server after download). A second, simultaneous download finds it gone."""
    try:
        data = path.read_bytes()
        path.unlink()
    except FileNotFoundError:
        raise AppError(Kind.GONE, "job_downloaded", "ballots.job_downloaded") from None
    return data


def mark_downloaded(app: HasConfig, job_id: str) -> None:
    """Remember that the job's PDF has been handed out (its file is gone)."""
    path = job_dir(app) / f"{job_id}.json"
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return
    state["downloaded"] = True
    _write(path, state)
