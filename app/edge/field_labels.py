"""What the forms call the fields that no page area names itself, so that a refusal of
bad input names the field in people's words (`应选名额: 应为整数`), never by its key.
Areas register `field_<name>` next to their own words; these are the rest, found by
tests/test_field_labels.py walking every request body and query of the API."""

from __future__ import annotations

from ..i18n import register

register({
    "field_archived": {"zh-CN": "归档", "en": "Archived"},
    "field_card_code": {"zh-CN": "签到卡号", "en": "Card code"},
    "field_client_id": {"zh-CN": "平板上的记录号", "en": "Tablet record number"},
    "field_code": {"zh-CN": "编码", "en": "Code"},
    "field_congress_id": {"zh-CN": "大会", "en": "Congress"},
    "field_count": {"zh-CN": "张数", "en": "Number of ballots"},
    "field_file": {"zh-CN": "文件", "en": "File"},
    "field_id": {"zh-CN": "所选项目", "en": "Chosen item"},
    "field_invalid": {"zh-CN": "无效票", "en": "Invalid ballot"},
    "field_invalid_reason": {"zh-CN": "无效原因", "en": "Reason the ballot is invalid"},
    "field_issued": {"zh-CN": "发出选票张数", "en": "Ballots issued"},
    "field_issued_over_present_reason": {"zh-CN": "发出张数多于参加选举人数的原因",
                                         "en": "Why more were issued than are present"},
    "field_limit": {"zh-CN": "显示条数", "en": "How many to show"},
    "field_mark": {"zh-CN": "标记", "en": "Mark"},
    "field_marks": {"zh-CN": "各候选人的标记", "en": "The marks for the candidates"},
    "field_motion": {"zh-CN": "大会决定", "en": "The congress's decision"},
    "field_offset": {"zh-CN": "从第几条起", "en": "Starting from"},
    "field_payload": {"zh-CN": "二维码内容", "en": "QR code content"},
    "field_photo": {"zh-CN": "照片", "en": "Photo"},
    "field_position": {"zh-CN": "排列位置", "en": "Position"},
    "field_q": {"zh-CN": "搜索", "en": "Search"},
    "field_reason": {"zh-CN": "原因", "en": "Reason"},
    "field_returned": {"zh-CN": "收回选票张数", "en": "Ballots returned"},
    "field_serial": {"zh-CN": "选票编号", "en": "Ballot code"},
    "field_signatures": {"zh-CN": "签字人", "en": "Signers"},
    "field_submission_id": {"zh-CN": "所选的读票结果", "en": "Chosen reading"},
    "field_voided_by_count": {"zh-CN": "按张数作废", "en": "Voided by count"},
    "field_write_ins": {"zh-CN": "另选人", "en": "Written-in names"},
})
