"""The sign-in page and the start page that sends each role to its own page."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from ..auth import current_user
from ..i18n import register

bp = Blueprint("pages", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")

register({
    "app_name": {"zh-CN": "工会选举计票系统", "en": "Union ballot counting"},
    "sign_in": {"zh-CN": "登录", "en": "Sign in"},
    "sign_out": {"zh-CN": "退出", "en": "Sign out"},
    "username": {"zh-CN": "用户名", "en": "User name"},
    "password": {"zh-CN": "密码", "en": "Password"},
    "home_title": {"zh-CN": "欢迎", "en": "Welcome"},
    "no_page_for_role": {"zh-CN": "您的角色暂无可用页面。", "en": "There is no page for your role yet."},
})

# Where each role starts; areas fill this in as their pages exist.
START_PAGES: dict[str, str] = {}
START_PAGES.update(teller="teller.page", scrutineer="scrutineer.page", chief_scrutineer="scrutineer.page")
START_PAGES["admin"] = "admin.overview"  # the secretariat's overview (app/web/admin.py)


@bp.get("/")
def home():
    user = current_user()
    if user is None:
        return redirect(url_for("pages.login_page"))
    endpoint = START_PAGES.get(user.role)
    if endpoint:
        return redirect(url_for(endpoint))
    return render_template("home.html")


@bp.get("/login")
def login_page():
    return render_template("login.html")
