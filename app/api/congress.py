"""The congress, its roster, attendance check-in and the live quorum (R1).

    GET/POST       /api/congresses
    GET/PATCH      /api/congresses/<id>
    GET            /api/congresses/<id>/quorum            E, P and R1, polled by the pages
    GET            /api/congresses/<id>/people?q=         roster search, R9 order
    POST           /api/congresses/<id>/roster            CSV/xlsx upload, all rows or none
    GET            /api/congresses/<id>/cards.pdf         check-in cards with QR
    POST           /api/congresses/<id>/attendance        check in by person_id or card_code
    DELETE         /api/congresses/<id>/attendance/<pid>  undo a check-in

Writes are the secretariat's (admin); reads are for anyone signed in.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint

from schemas.common import ApiErrorSchema
from schemas.congress import (
    ArchiveSchema,
    CheckInResultSchema,
    CheckInSchema,
    CongressInSchema,
    CongressListSchema,
    CongressPatchSchema,
    CongressSchema,
    PeopleQuerySchema,
    PeopleSchema,
    QuorumFigureSchema,
    RosterFileSchema,
    RosterFormSchema,
    RosterImportSchema,
    UndoResultSchema,
)

from .. import permissions
from ..auth import actor_name, current_user, require_role
from ..congress import queries
from ..congress.bodies import set_archived
from ..congress.roster_file import RosterFileError, RowError, parse_roster
from ..congress.setup import (
    check_in_person,
    create_congress,
    find_by_card,
    import_roster,
    undo_check_in_person,
    update_congress,
)
from ..db import get_db
from ..errors import AppError, Kind
from ..i18n import register, t
from .docs import error_responses

bp = Blueprint("congress", __name__, url_prefix="/api", description="Congress, roster, attendance")

ROSTER_MAX_BYTES = 2 * 1024 * 1024  # a roster of 20,000 rows is well under this

register({
    # The congress form's fields, as a refusal names them (app/edge/errors.py).
    "field_kind": {"zh-CN": "选举类型", "en": "Kind"},
    "field_assembly": {"zh-CN": "会议形式", "en": "Assembly"},
    "field_members": {"zh-CN": "会员人数", "en": "Union members"},
    "field_live_board_public": {"zh-CN": "计票大屏公开显示", "en": "Live board is public"},
    "field_place": {"zh-CN": "会议地点", "en": "Place"},
    "field_issuing_body": {"zh-CN": "发文单位", "en": "Issuing body"},
    "field_ballot_stamp": {"zh-CN": "选票留盖章区", "en": "Ballots have a stamp area"},
    "field_leaders_elected_by": {"zh-CN": "主席、副主席的产生方式",
                                 "en": "How the chair and vice-chairs are elected"},
    # …and the other forms' fields (contests, candidates, officials, accounts).
    "field_name": {"zh-CN": "名称或姓名", "en": "Name"},
    "field_title": {"zh-CN": "选举事项名称", "en": "Contest title"},
    "field_office": {"zh-CN": "职务", "en": "Office"},
    "field_method": {"zh-CN": "选举方式", "en": "Method"},
    "field_seats": {"zh-CN": "应选名额", "en": "Seats"},
    "field_candidates": {"zh-CN": "候选人", "en": "Candidates"},
    "field_note": {"zh-CN": "备注", "en": "Note"},
    "field_rules": {"zh-CN": "计票规则设置", "en": "Settings"},
    "field_role": {"zh-CN": "职责或角色", "en": "Duty or role"},
    "field_person_id": {"zh-CN": "人员", "en": "Person"},
    "field_user_id": {"zh-CN": "账号", "en": "Account"},
    "field_username": {"zh-CN": "用户名", "en": "User name"},
    "field_display_name": {"zh-CN": "姓名", "en": "Name"},
    "field_password": {"zh-CN": "密码", "en": "Password"},
    "field_item": {"zh-CN": "第 {n} 项", "en": "item {n}"},
    "setup_congress_not_found": {"zh-CN": "找不到该大会，请刷新页面或重新选择大会。",
                                 "en": "That congress does not exist; reload the page or choose another "
                                       "congress."},
    "setup_person_not_found": {"zh-CN": "本大会名册中没有此人（可能已被删除），请刷新页面。",
                               "en": "That person is not on this congress's roster (perhaps removed); "
                                     "reload the page."},
    "setup_person_not_entitled": {
        "zh-CN": "{name} 无选举权（保留会籍），不计入实到人数，无需签到。",
        "en": "{name} has no vote (membership retained) and is not counted among those present; "
              "no check-in."},
    "setup_not_checked_in": {"zh-CN": "{name} 尚未签到，无需撤销。",
                             "en": "{name} is not checked in; nothing to undo."},
    "setup_card_unknown": {"zh-CN": "签到卡号 {card_code} 不在本大会名册中。",
                           "en": "Card {card_code} is not on this congress's roster."},
    "setup_roster_has_attendance": {
        "zh-CN": "已有 {present} 人签到，不能替换名册；请改为追加导入。",
        "en": "{present} people have checked in; the roster cannot be replaced, only added to."},
    "setup_roster_too_large": {"zh-CN": "名册文件太大（上限 {limit}）。",
                               "en": "The roster file is too large (limit {limit})."},
    "setup_roster_rejected": {
        "zh-CN": "名册文件有 {count} 处错误，未导入任何人员。请改正后重新上传：{first}",
        "en": "The roster file has {count} problems; nobody was imported. Fix them and upload "
              "again: {first}"},
    "setup_roster_row": {"zh-CN": "第 {row} 行（{column}）：{problem}",
                         "en": "Row {row} ({column}): {problem}"},
    "setup_bad_filename": {"zh-CN": "文件名不能含有路径（/、\\ 或 ..），请直接选择文件上传。",
                           "en": "The file name must not hold a path (/, \\ or ..); choose the file itself."},
    "roster_missing_name": {"zh-CN": "姓名为空", "en": "the name is missing"},
    "roster_bad_name": {"zh-CN": "姓名“{name}”含有姓名中不应出现的字符（只可用文字、空格和 · . - '）",
                        "en": "the name “{name}” holds characters a name cannot have "
                              "(only letters, spaces and · . - ')"},
    "roster_unknown_value": {"zh-CN": "无法识别的值“{value}”，应为 {allowed}",
                             "en": "unknown value “{value}”; expected {allowed}"},
    "roster_too_long": {"zh-CN": "内容太长（{length} 字，上限 {limit} 字）",
                        "en": "too long ({length} characters, limit {limit})"},
    "roster_control_char": {"zh-CN": "含有不可见的控制字符 {codepoint}",
                            "en": "contains the invisible control character {codepoint}"},
    "roster_duplicate": {"zh-CN": "与第 {other_row} 行重复（{name}，单位和备注也相同）",
                         "en": "repeats row {other_row} ({name}, same unit and note)"},
    "roster_already_listed": {"zh-CN": "{name} 已在名册中（单位和备注相同）",
                              "en": "{name} is already on the roster (same unit and note)"},
    "roster_encoding": {"zh-CN": "无法识别文件编码；请保存为 UTF-8 或 GB18030 编码的 CSV，或 .xlsx。",
                        "en": "Unknown text encoding; save as CSV in UTF-8 or GB18030, or as .xlsx."},
    "roster_csv_broken": {"zh-CN": "CSV 文件格式有误：{detail}", "en": "Broken CSV file: {detail}"},
    "roster_xlsx_broken": {"zh-CN": "无法读取该 Excel 文件；请确认是 .xlsx 格式且未损坏。",
                           "en": "Cannot read this Excel file; check it is an undamaged .xlsx."},
    "roster_old_excel": {"zh-CN": "不支持旧版 .xls 文件；请在 Excel 中另存为 .xlsx 或 CSV。",
                         "en": "Old .xls files are not supported; save as .xlsx or CSV in Excel."},
    "roster_too_big": {"zh-CN": "名册文件过大：最多 {rows} 行、{columns} 列；"
                                "请删去多余的行、列或工作表后再导入。",
                       "en": "The roster file is too big: at most {rows} rows and {columns} "
                             "columns; remove extra rows, columns or sheets and import again."},
    "roster_empty": {"zh-CN": "文件是空的。", "en": "The file is empty."},
    "roster_header_twice": {"zh-CN": "表头“{column}”出现了两次。",
                            "en": "The header “{column}” appears twice."},
    "roster_no_name_column": {"zh-CN": "第一行表头中没有“姓名”列（找到：{found}）。",
                              "en": "The header row has no 姓名/name column (found: {found})."},
    "roster_entitled_and_retained": {
        "zh-CN": "“有选举权”和“是否保留会籍”两列只能有一列。",
        "en": "Give either the entitled column or the retained-membership column, not both."},
    "roster_too_many_rows": {"zh-CN": "名册超过 {limit} 行。", "en": "More than {limit} rows."},
    "roster_column_name": {"zh-CN": "姓名", "en": "name"},
    "roster_column_unit": {"zh-CN": "单位", "en": "unit"},
    "roster_column_gender": {"zh-CN": "性别", "en": "gender"},
    "roster_column_entitled": {"zh-CN": "有选举权", "en": "entitled"},
    "roster_column_retained": {"zh-CN": "是否保留会籍", "en": "membership retained"},
    "roster_column_note": {"zh-CN": "备注", "en": "note"},
})

def _congress_or_404(congress_id: int) -> dict[str, Any]:
    row = queries.congress_row(get_db(), congress_id)
    if row is None:
        raise AppError(Kind.NOT_FOUND, "congress_not_found", "setup_congress_not_found",
                       congress_id=congress_id)
    return row


def _person_out(person: dict[str, Any]) -> dict[str, Any]:
    """The card code and the check-in time are shown to the secretariat only (R10)."""
    if not permissions.sees_card_codes(current_user()):
        person = {key: value for key, value in person.items()
                  if key not in ("card_code", "checked_in_at")}
    return person


@bp.get("/congresses")
@bp.response(200, CongressListSchema)
@bp.alt_response(401, schema=ApiErrorSchema)
@require_role()
def list_congresses():
    return {"congresses": queries.all_congresses(get_db())}


@bp.post("/congresses")
@bp.arguments(CongressInSchema)
@bp.response(201, CongressSchema)
@error_responses(bp, 401, 403, 422)
@require_role("admin")
def new_congress(data):
    congress_id = create_congress(get_db(), actor=actor_name(), **data)
    return _congress_or_404(congress_id)


@bp.get("/congresses/<int:congress_id>")
@bp.response(200, CongressSchema)
@bp.alt_response(404, schema=ApiErrorSchema)
@require_role()
def get_congress(congress_id: int):
    return _congress_or_404(congress_id)


@bp.patch("/congresses/<int:congress_id>")
@bp.arguments(CongressPatchSchema)
@bp.response(200, CongressSchema)
@error_responses(bp, 403, 404, 422)
@require_role("admin")
def patch_congress(data, congress_id: int):
    update_congress(get_db(), congress_id, data, actor_name())
    return _congress_or_404(congress_id)


@bp.get("/congresses/<int:congress_id>/quorum")
@bp.response(200, QuorumFigureSchema)
@bp.alt_response(404, schema=ApiErrorSchema)
@require_role()
def get_quorum(congress_id: int):
    _congress_or_404(congress_id)
    return queries.quorum(get_db(), congress_id)


@bp.get("/congresses/<int:congress_id>/people")
@bp.arguments(PeopleQuerySchema, location="query")
@bp.response(200, PeopleSchema)
@bp.alt_response(404, schema=ApiErrorSchema)
@require_role()
def list_people(args, congress_id: int):
    _congress_or_404(congress_id)
    total, found = queries.people(get_db(), congress_id, args["q"], args["limit"], args["offset"])
    return {"total": total, "people": [_person_out(p) for p in found]}


def _row_message(error: RowError) -> dict[str, Any]:
    problem = t(error.code, **error.params)
    column = t(f"roster_column_{error.column}")
    # `column_title`: the column as people call it, in their language (never the internal key).
    return {"row": error.row, "column": error.column, "column_title": column, "code": error.code,
            "message": t("setup_roster_row", row=error.row, column=column, problem=problem)}


def _read_upload(upload) -> bytes:
    """The uploaded file, refused beyond ROSTER_MAX_BYTES without reading it all."""
    limit = current_app.config.get("ROSTER_MAX_BYTES", ROSTER_MAX_BYTES)
    too_large = AppError(Kind.TOO_LARGE, "roster_too_large", "setup_roster_too_large",
                         limit=f"{limit // 1024} KB")
    if request.content_length and request.content_length > limit + 64 * 1024:
        raise too_large
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise too_large
    return data


@bp.post("/congresses/<int:congress_id>/roster")
@bp.arguments(RosterFormSchema, location="form")
@bp.arguments(RosterFileSchema, location="files")
@bp.response(201, RosterImportSchema)
@error_responses(bp, 403, 404, 409, 413, 422)
@require_role("admin")
def upload_roster(form, files, congress_id: int):
    """Import a roster file: every row checked first; any problem → 422 listing each
    problem by row, and nothing is written."""
    _congress_or_404(congress_id)
    upload = files["file"]
    data = _read_upload(upload)
    filename = upload.filename or ""
    if "/" in filename or "\\" in filename or ".." in filename:
        # Browsers send a bare file name; a path here is a crafted request. The name is
        # only ever kept as a note, but a request like this is refused outright.
        raise AppError(Kind.BAD_REQUEST, "bad_filename", "setup_bad_filename")
    try:
        parsed = parse_roster(filename, data)
    except RosterFileError as error:
        raise AppError(Kind.INVALID, error.code, **error.params) from None
    db = get_db()
    errors = parsed.errors
    if not errors and not form["replace"]:
        errors = parsed.clashes_with(queries.roster_keys(db, congress_id))
    if errors:
        rows = [_row_message(error) for error in errors]
        raise AppError(Kind.INVALID, "roster_rejected", "setup_roster_rejected", count=len(rows),
                       first=rows[0]["message"], details={"rows": rows})
    added, removed = import_roster(db, congress_id, parsed.people, actor_name(),
                                   replace=form["replace"], source=filename[:200])
    return {"added": len(added), "removed": removed, "ignored_columns": parsed.ignored_columns,
            "quorum": queries.quorum(db, congress_id)}


@bp.get("/congresses/<int:congress_id>/cards.pdf")
@bp.response(200, description="A4 PDF of check-in cards with QR codes",
             content_type="application/pdf")
@error_responses(bp, 403, 404)
@require_role("admin")
def cards(congress_id: int):
    from flask import Response

    from ..congress.cards import cards_pdf

    congress = _congress_or_404(congress_id)
    q = request.args.get("q", "")
    _total, found = queries.people(get_db(), congress_id, q, limit=100_000)
    pdf = cards_pdf(congress["name"], [p for p in found if p["entitled"]])
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="cards-{congress_id}.pdf"'})


def _check_in_answer(person_id: int, already: bool) -> dict[str, Any]:
    db = get_db()
    person = queries.person(db, person_id)
    if person is None:  # checked in or out a moment ago, so it exists
        raise AppError(Kind.NOT_FOUND, "person_not_found", "setup_person_not_found", person_id=person_id)
    return {"person": _person_out(person), "already_present": already,
            "quorum": queries.quorum(db, person["congress_id"])}


@bp.post("/congresses/<int:congress_id>/attendance")
@bp.arguments(CheckInSchema)
@bp.response(200, CheckInResultSchema)
@error_responses(bp, 403, 404, 409)
@require_role("admin")
def check_in(data, congress_id: int):
    """Check a person in, by roster id (name search) or by the code on their card.
    Checking in twice is harmless: the answer says already_present."""
    _congress_or_404(congress_id)
    db = get_db()
    person_id = (data["person_id"] if "person_id" in data
                 else find_by_card(db, congress_id, data["card_code"]))
    added = check_in_person(db, congress_id, person_id, actor_name())
    return _check_in_answer(person_id, already=not added)


@bp.delete("/congresses/<int:congress_id>/attendance/<int:person_id>")
@bp.response(200, UndoResultSchema)
@error_responses(bp, 403, 404, 409)
@require_role("admin")
def undo_check_in(congress_id: int, person_id: int):
    _congress_or_404(congress_id)
    undo_check_in_person(get_db(), congress_id, person_id, actor_name())
    answer = _check_in_answer(person_id, already=False)
    return {"person": answer["person"], "quorum": answer["quorum"]}


@bp.post("/congresses/<int:congress_id>/archive")
@bp.arguments(ArchiveSchema)
@bp.response(200, CongressSchema)
@error_responses(bp, 403, 404, 422)
@require_role("admin")
def archive_congress(data, congress_id: int):
    """Archive a finished congress (kept whole, no longer chosen by default), or bring it back."""
    if not set_archived(get_db(), congress_id, data["archived"], actor_name()):
        raise AppError(Kind.NOT_FOUND, "congress_not_found", "setup_congress_not_found",
                       congress_id=congress_id)
    return _congress_or_404(congress_id)
