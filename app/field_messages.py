"""marshmallow's field messages (English) in the user's language.

A 422 names every wrong field with marshmallow's own sentence; for a Chinese screen
each known sentence is rendered in Chinese (numbers and choices kept), and an unknown
one is shown as it is rather than lost.
"""

from __future__ import annotations

import re

_ZH: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern), text) for pattern, text in [
    (r"^Missing data for required field\.$", "缺少必填项"),
    (r"^Unknown field\.$", "未知字段"),
    (r"^Field may not be null\.$", "不能为空值"),
    (r"^Not a valid integer\.$", "应为整数"),
    (r"^Not a valid number\.$", "应为数字"),
    (r"^Not a valid string\.$", "应为文字"),
    (r"^Not a valid boolean\.$", "应为是或否（true/false）"),
    (r"^Not a valid list\.$", "应为列表"),
    (r"^Not a valid mapping type\.$", "应为对象"),
    (r"^Invalid input type\.$", "输入类型有误"),
    (r"^Invalid value\.$", "取值无效"),
    (r"^Length must be between (\d+) and (\d+)\.$", r"长度应在 \1 至 \2 之间"),
    (r"^Shorter than minimum length (\d+)\.$", r"长度不能少于 \1"),
    (r"^Longer than maximum length (\d+)\.$", r"长度不能超过 \1"),
    (r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$", r"应在 \1 至 \2 之间"),
    (r"^Must be greater than or equal to (\S+)\.$", r"不能小于 \1"),
    (r"^Must be less than or equal to (\S+)\.$", r"不能大于 \1"),
    (r"^String does not match expected pattern\.$", "格式不符合要求"),
    (r"^must not be blank\.$", "不能为空"),
    (r"^contains the control character (U\+[0-9A-F]+)\.$", r"含有不可见的控制字符 \1"),
    (r"^may hold only letters, spaces and · \. - ' \(not (.*)\)\.$",
     r"姓名只可使用文字、空格和 · . - '（不可使用 \1）"),
    (r"^Invalid JSON body\.$", "请求内容不是有效的 JSON"),
]]


# The choices marshmallow would list are stored codes (at_least_two_thirds…), not words.
_NOT_A_CHOICE = re.compile(r"^Must be one of: .*\.$")


def translate(message: str, locale: str) -> str:
    if _NOT_A_CHOICE.match(message):
        return "不是可选的值之一" if locale == "zh-CN" else "Not one of the choices offered."
    if locale != "zh-CN":
        return message
    for pattern, text in _ZH:
        if pattern.match(message):
            return pattern.sub(text, message)
    return message
