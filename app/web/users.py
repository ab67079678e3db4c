"""The secretariat's accounts page (/admin/users) and the tablet enrollment pages
(/enroll/<token>).

Enrollment is two steps so that nothing is spent by merely fetching the URL (a link
preview, a camera app peeking at it): GET shows whom the tablet will be signed in as and
submits itself; the POST spends the token, signs the tablet in and sends it to the
teller's start page. A forged, expired or spent token gets a page that says so.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from ..auth import ROLE_NAMES, sign_in
from ..db import get_db
from ..edge.page_guard import page_for
from ..i18n import current_locale, register
from ..roles import SECRETARIAT
from ..security import enrollment
from ..security.addresses import base_choices, is_local_host

bp = Blueprint("users_web", __name__, template_folder="templates")

register({
    "users_enroll_base": {"zh-CN": "平板访问本机的地址（写入二维码）",
                          "en": "Address tablets use (put in the QR code)"},
    "users_localhost_warning": {
        "zh-CN": "注意：您是在本机用 localhost 打开的此页面，平板无法访问该地址。"
                 "请在下面选择本机的局域网地址。",
        "en": "Note: this page was opened at localhost, which tablets cannot reach. Choose one of "
              "this machine's network addresses below."},
    "users_title": {"zh-CN": "账号管理", "en": "Accounts"},
    "users_intro": {"zh-CN": "为秘书处、总监票人、监票人和计票人建立账号；"
                             "可为计票人的平板生成一次性登记二维码。",
                    "en": "Accounts for the secretariat, scrutineers and tellers; a one-time QR code "
                          "signs a teller's tablet in."},
    "users_new": {"zh-CN": "新建账号", "en": "New account"},
    "users_display_name": {"zh-CN": "姓名", "en": "Name"},
    "users_role": {"zh-CN": "角色", "en": "Role"},
    "users_state": {"zh-CN": "状态", "en": "State"},
    "users_active": {"zh-CN": "启用", "en": "active"},
    "users_inactive": {"zh-CN": "已停用", "en": "deactivated"},
    "users_actions": {"zh-CN": "操作", "en": "Actions"},
    "users_create": {"zh-CN": "建立账号", "en": "Create"},
    "users_created": {"zh-CN": "账号已建立。", "en": "Account created."},
    "users_reset": {"zh-CN": "重置密码", "en": "Reset password"},
    "users_reset_prompt": {"zh-CN": "请输入 {username} 的新密码（至少 10 个字符）：",
                           "en": "New password for {username} (at least 10 characters):"},
    "users_reset_done": {"zh-CN": "密码已重置，该账号原有的登录已失效。",
                         "en": "Password reset; the account's sessions have ended."},
    "users_deactivate": {"zh-CN": "停用", "en": "Deactivate"},
    "users_deactivate_confirm": {"zh-CN": "停用 {username}？该账号的登录将立即失效。",
                                 "en": "Deactivate {username}? Its sessions end at once."},
    "users_activate": {"zh-CN": "启用", "en": "Activate"},
    "users_enroll": {"zh-CN": "登记平板", "en": "Enroll a tablet"},
    "users_enroll_title": {"zh-CN": "用平板扫描此二维码，登录为计票人 {name}",
                           "en": "Scan this QR code with the tablet to sign in as teller {name}"},
    "users_enroll_note": {"zh-CN": "二维码只能使用一次，{minutes} 分钟内有效（至 {until}）。",
                          "en": "The QR code works once, for {minutes} minutes (until {until})."},
    "users_close": {"zh-CN": "关闭", "en": "Close"},
    "enroll_title": {"zh-CN": "平板登记", "en": "Tablet enrollment"},
    "enroll_confirm": {"zh-CN": "本平板将登录为计票人：{name}（{username}）",
                       "en": "This tablet will be signed in as teller {name} ({username})"},
    "enroll_go": {"zh-CN": "确认登录", "en": "Sign in"},
    "enroll_forged": {"zh-CN": "此登记二维码无效，无法登录。请到秘书处重新生成二维码。",
                      "en": "This enrollment QR code is not valid. Ask the secretariat for a new one."},
    "enroll_expired": {"zh-CN": "此登记二维码已过期（有效期 {minutes} 分钟）。请到秘书处重新生成二维码。",
                       "en": "This enrollment QR code has expired (it was valid for {minutes} "
                             "minutes). Ask the secretariat for a new one."},
    "enroll_spent": {"zh-CN": "此登记二维码已经使用过，不能再次使用。请到秘书处重新生成二维码。",
                     "en": "This enrollment QR code has already been used. Ask the secretariat for "
                           "a new one."},
    "enroll_inactive": {"zh-CN": "此二维码对应的计票人账号已停用，无法登录。请联系秘书处。",
                        "en": "The teller account of this QR code is deactivated. Call the "
                              "secretariat."},
})

# How each refusal is answered: 404 for a token that never existed, 410 for one that did.
_REFUSAL_STATUS = {"forged": 404, "expired": 410, "spent": 410, "inactive": 410}


@bp.get("/admin/users")
@page_for(*SECRETARIAT, title="users_title")
def users_page():
    locale = current_locale()
    return render_template("users.html", admin_nav=_admin_nav(),
                           roles={role: names[locale] for role, names in ROLE_NAMES.items()},
                           enroll_bases=base_choices(request.host_url,
                                                     current_app.config.get("PUBLIC_BASE_URL")),
                           on_localhost=is_local_host(request.host_url))


def _admin_nav() -> list[dict]:
    """The secretariat's menu (app/web/admin.py), so this page sits among its pages."""
    try:
        from .admin import _nav
    except ImportError:  # the admin area is not installed
        return []
    return _nav()


def _refused(reason: str):
    minutes = int(current_app.config.get("ENROLL_TOKEN_SECONDS") or
                  enrollment.DEFAULT_LIFETIME_SECONDS) // 60
    return render_template("enroll_refused.html", reason=reason, minutes=minutes), \
        _REFUSAL_STATUS[reason]


@bp.get("/enroll/<token>")
def enroll_page(token: str):
    try:
        teller = enrollment.check(get_db(), token)
    except enrollment.EnrollmentRefused as refusal:
        return _refused(refusal.reason)
    return render_template("enroll.html", teller=teller, token=token)


@bp.post("/enroll/<token>")
def enroll_redeem(token: str):
    """Anonymous by design (the tablet has no account yet): the token is the credential.
    CSRF still applies (the form carries the token of the GET page's session)."""
    try:
        teller = enrollment.redeem(get_db(), token)
    except enrollment.EnrollmentRefused as refusal:
        return _refused(refusal.reason)
    sign_in(teller)
    return redirect(url_for("pages.home"), code=303)
