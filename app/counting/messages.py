"""The counting area's messages, both languages side by side."""

from ..i18n import register

register({
    "counting_round_not_found": {"zh-CN": "找不到该轮投票，请刷新页面。",
                                 "en": "That round does not exist; reload the page."},
    "counting_round_not_open": {
        "zh-CN": "该轮投票未在进行中（尚未开始或已封存），不能计票。",
        "en": "This round is not open for counting (not started yet, or sealed)."},
    "counting_not_appointed": {
        "zh-CN": "您的账号未被指定为“{contest}”的计票人或监票人，不能计票或裁定。",
        "en": "Your account is not appointed as a teller or scrutineer of “{contest}”; "
              "it may not count or decide its ballots."},
    "counting_counter_is_candidate": {
        "zh-CN": "{name} 是本选举事项的候选人，不能担任计票人或监票人。",
        "en": "{name} is a candidate of this contest and may not count or scrutinise it."},
    "counting_round_sealed": {
        "zh-CN": "该轮次已封存，计票结果不能再更改。",
        "en": "This round is sealed: its count can no longer change."},
    "counting_unknown_candidate": {
        "zh-CN": "本轮选票上没有候选人“{ref}”。",
        "en": "There is no candidate {ref} on this round's ballot."},
    "counting_bad_mark": {
        "zh-CN": "候选人“{ref}”的标记“{mark}”无效，只能是赞成、不赞成、弃权或无法辨认。",
        "en": "Mark {mark!r} for {ref} is not one of yes, no, abstain, unreadable."},
    "counting_bad_write_in": {
        "zh-CN": "第 {index} 个另选他人有误：{problem}",
        "en": "Write-in {index} is wrong: {problem}"},
    "counting_too_many_write_ins": {
        "zh-CN": "另选他人最多 {limit} 个。", "en": "At most {limit} write-ins."},
    "counting_invalid_reason_required": {
        "zh-CN": "认定为无效票时必须填写理由。", "en": "Say why the ballot is invalid."},
    "counting_source_required": {
        "zh-CN": "请扫描二维码或输入选票编号（serial、payload、code 三者选一）。",
        "en": "Scan the QR code or type the ballot code (one of serial, payload, code)."},
    "counting_client_id_reused": {
        "zh-CN": "这次提交与已收到的另一张选票或另一版本重复，请刷新页面后重试。",
        "en": "This submission repeats one already received for another ballot or version; "
              "reload and retry."},
    "counting_ballot_not_recorded": {
        "zh-CN": "选票 {serial} 尚未计入本轮。", "en": "Ballot {serial} is not recorded in this round."},
    "counting_ballot_unknown": {
        "zh-CN": "找不到编号为 {typed} 的选票。", "en": "No ballot with code {typed}."},
    "counting_submission_not_found": {
        "zh-CN": "选票 {serial} 没有所选的这一版本，请刷新页面。",
        "en": "Ballot {serial} has no such version; reload the page."},
    "counting_decision_needs_one": {
        "zh-CN": "请选择一个版本，或录入正确结果（二者选一）。",
        "en": "Choose one version or enter the correct one (not both)."},
    "counting_photo_not_an_image": {
        "zh-CN": "上传的文件不是照片（请用 JPEG 或 PNG）。", "en": "Not a photo (use JPEG or PNG)."},
    "counting_photo_too_large": {
        "zh-CN": "照片太大（上限 {limit}）。", "en": "The photo is too large (limit {limit})."},
    "counting_photo_not_found": {
        "zh-CN": "找不到这张选票照片（可能已被删除），请刷新页面。",
        "en": "That ballot photo no longer exists; reload the page."},
    "counting_reason_required": {
        "zh-CN": "监票人的决定必须写明理由。", "en": "A scrutineer's decision needs a reason."},
})

# The ballot verdict's reasons in English (app.rules.ballot.REASON_TEXT holds zh-CN).
REASON_TEXT_EN = {
    "declared_invalid": "declared invalid by the tellers (torn, identifying marks…)",
    "unreadable": "a mark cannot be read: void ballot under the settings",
    "overvote": "more approvals than seats",
}
