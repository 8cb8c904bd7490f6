"""The pages of the province console (issue 15; docs/province.md, "The province console").

Each page reads the same service functions as the API (``Hub.completeness``, ``Hub.report_full``,
``Hub.reports``, ``Reviews``, ``Totals``, ``exports``, ``Accounts``, ``Catalogs``): the console adds layout,
never a query of its own, except the conflicting version of a report (:mod:`dttshub.conflictview`).
Handlers are plain ``def`` (the database work runs in the thread pool), except sign-in, which awaits the
password hash on the accounts' own pool.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from starlette.responses import RedirectResponse, Response

from dttscore import refdata
from dttscore.bounds import MAX_CODE, MAX_PERIOD
from dttscore.errors import CatalogError
from dttscore.periods import containing, period_label, previous
from dttshub.completeness import STATE_LABELS, STATES
from dttshub.console import charts, layout
from dttshub.console.web import (
    LANG_COOKIE,
    LOGIN_CSRF_COOKIE,
    PREFIX,
    SESSION_COOKIE,
    ConsoleRoute,
    OptionalViewDep,
    View,
    ViewDep,
    hub_of,
    lang_of,
    secure_cookies,
    sessions_of,
    templates,
    vn_time,
)
from dttshub.errors import BadRequest, Forbidden, HubError, NotFound
from dttshub.protocol import EXPORT_MEDIA_TYPES
from dttshub.receipts import VN_TZ
from dttshub.reviews import SKIP_REASONS
from dttshub.scope import ALL_UNITS, check_account_unit
from dttshub.totals import resolve_scope
from dttshub.units import agency_province, is_agency_code

Unit = Annotated[str, PathParam(pattern=r"^[0-9]{5}$")]
FormCode = Annotated[str, PathParam(min_length=1, max_length=MAX_CODE)]
PeriodCode = Annotated[str, PathParam(min_length=1, max_length=MAX_PERIOD)]
FormQ = Annotated[str, Query(max_length=MAX_CODE)]
PeriodQ = Annotated[str, Query(max_length=MAX_PERIOD)]
StateQ = Annotated[str, Query(max_length=32)]
SearchQ = Annotated[str, Query(max_length=100)]
SortQ = Annotated[str, Query(max_length=20)]
CsrfField = Annotated[str, Form(max_length=200)]

WAITING_STATUSES = ("submitted", "late", "conflict", "changed_after_acceptance")
WAITING_STATES = ("on_time", "late", "conflict", "changed_after_acceptance")
SORTS = ("unit", "name", "state", "received_at", "last_seen")
START_PERIODS = 3
TREND_PERIODS = 5
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe_next(target: str | None) -> str:
    """Only a path of the console itself (no other host, no scheme) may follow a sign-in."""
    if target and target.startswith(PREFIX + "/") and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX + "/"


def _state_label(view: View, state: str) -> str:
    vi, en = STATE_LABELS.get(state, (state, state))
    return en if view.lang == "en" else vi


def _current_catalog(view: View):
    stored = view.hub.catalogs.current()
    catalog = view.hub.catalogs.get(stored.catalog_id, stored.version) if stored is not None else None
    if catalog is None:
        raise NotFound(
            "no_catalog",
            "Máy chủ chưa có danh mục chỉ tiêu nào; quản trị hãy công bố danh mục trước.",
            "The hub has no catalogue yet; an admin must publish one first.",
        )
    return catalog


def _name(view: View, obj) -> str:
    return (obj.name_en or obj.name_vi) if view.lang == "en" else obj.name_vi


def _due_periods(view: View, period_type: str, count: int) -> list[str]:
    """The last ``count`` periods of a type that have ended (most recent first)."""
    today = view.hub.config.now().astimezone(VN_TZ).date()
    out = [previous(containing(period_type, today).code)]
    while len(out) < count:
        out.append(previous(out[-1]))
    return out


def _form_choice(view: View, form: str, period: str) -> tuple[object, str, str]:
    """The form and period of a page: given, or the first form of the catalogue and its latest period."""
    catalog = _current_catalog(view)
    if not form:
        form = catalog.forms[0].code
    if not catalog.has_form(form):
        raise NotFound(
            "unknown_form",
            f"Danh mục hiện hành của máy chủ không có biểu {form}.",
            f"The hub's current catalogue has no form {form}.",
        )
    if not period:
        period = _due_periods(view, catalog.form(form).period_type, 1)[0]
    return catalog, form, period


def _officers_by_unit(view: View) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for user in view.hub.accounts.list_users():
        if user["role"] == "officer" and not user["disabled"]:
            out.setdefault(user["unit"], []).append(user["username"])
    return out


def _board_rows(view: View, comp, state: str, q: str, sort: str) -> list:
    units = list(comp.units)
    if state:
        units = [u for u in units if u.state == state]
    if q:
        needle = refdata.fold(q)
        units = [u for u in units if needle in refdata.fold(u.name) or needle in u.unit]
    if sort == "name":
        units.sort(key=lambda u: refdata.fold(u.name))
    elif sort == "state":
        units.sort(key=lambda u: (STATES.index(u.state), u.unit))
    elif sort in ("received_at", "last_seen"):
        units.sort(key=lambda u: (getattr(u, sort) is None, getattr(u, sort) or ""), reverse=False)
    return units


def build_router() -> APIRouter:
    """The ``/console`` routes (not in the API's OpenAPI document)."""
    router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

    # -- sign-in, sign-out, language --------------------------------------------------------------------
    @router.get("/")
    def start(view: OptionalViewDep, next: Annotated[str, Query(max_length=500)] = "") -> Response:
        if view.session is None:
            return _login_page(view, next)
        today = view.hub.config.now().astimezone(VN_TZ).date()
        forms = view.request.app.state.console_cache.get(  # counted again only after a change on the hub
            view.hub, ("start", view.account.unit, today), lambda: _start_forms(view)
        )
        return view.render("start.html", forms=forms, plabel=lambda p: period_label(p, view.lang))

    @router.post("/login")
    async def login(
        request: Request,
        username: Annotated[str, Form(max_length=200)] = "",
        password: Annotated[str, Form(max_length=1000)] = "",
        csrf: CsrfField = "",
        next: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        view = View(request, hub_of(request), lang_of(request))
        cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not csrf or not cookie or csrf != cookie:
            return _login_page(view, next, error=view.t("login_expired"), status=403)
        address = request.client.host if request.client else ""
        try:
            account = await view.hub.accounts.verify_async(username, password, address)
        except HubError as exc:
            message = exc.message_en if view.lang == "en" else exc.message_vi
            return _login_page(view, next, error=message, status=exc.status, username=username)
        if not account.is_reviewer:
            return _login_page(view, next, error=view.t("officer_refused"), status=403, username=username)
        from anyio import to_thread

        token, _ = await to_thread.run_sync(sessions_of(request).open, account)
        reply = RedirectResponse(_safe_next(next), status_code=303)
        reply.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=sessions_of(request).ttl,
            path=PREFIX,
            httponly=True,
            samesite="strict",
            secure=secure_cookies(request),
        )
        reply.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX)
        return reply

    @router.post("/logout")
    def logout(view: ViewDep, csrf: CsrfField = "") -> Response:
        view.check_csrf(csrf)
        sessions_of(view.request).close(view.request.cookies.get(SESSION_COOKIE))
        reply = RedirectResponse(PREFIX + "/", status_code=303)
        reply.delete_cookie(SESSION_COOKIE, path=PREFIX)
        return reply

    @router.get("/lang")
    def language(
        request: Request,
        to: Annotated[str, Query(max_length=2)] = "vi",
        next: Annotated[str, Query(max_length=500)] = "",
    ) -> Response:
        reply = RedirectResponse(_safe_next(next), status_code=303)
        reply.set_cookie(
            LANG_COOKIE,
            "en" if to == "en" else "vi",
            max_age=365 * 86400,
            path=PREFIX,
            samesite="lax",
            secure=secure_cookies(request),
        )
        return reply

    # -- 2. completeness board ---------------------------------------------------------------------------
    def board_data(view: View, form: str, period: str, state: str, q: str, sort: str) -> tuple:
        """The board's catalogue, form, period, completeness and rows (filtered, searched, sorted): what
        the page and its Excel download both show."""
        catalog, form, period = _form_choice(view, form, period)
        comp = view.hub.completeness(view.account, form, period)
        rows = _board_rows(view, comp, state if state in STATES else "", q, sort if sort in SORTS else "unit")
        return catalog, form, period, comp, rows

    @router.get("/completeness")
    def board(
        view: ViewDep,
        form: FormQ = "",
        period: PeriodQ = "",
        state: StateQ = "",
        q: SearchQ = "",
        sort: SortQ = "unit",
    ) -> Response:
        catalog, form, period, comp, rows = board_data(view, form, period, state, q, sort)
        query = {"form": form, "period": period, "state": state, "q": q, "sort": sort}
        return view.render(
            "board.html",
            catalog=catalog,
            forms=[(f.code, _name(view, f)) for f in catalog.forms],
            form=form,
            form_name=_name(view, catalog.form(form)),
            period=period,
            period_name=period_label(period, view.lang),
            c=comp,
            rows=rows,
            state=state,
            q=q,
            sort=sort,
            states=[(s, _state_label(view, s)) for s in STATES],
            sorts=SORTS,
            state_label=lambda s: _state_label(view, s),
            officers=_officers_by_unit(view),
            xlsx_query=urlencode(query),
        )

    @router.get("/completeness.xlsx")
    def board_xlsx(
        view: ViewDep,
        form: FormQ = "",
        period: PeriodQ = "",
        state: StateQ = "",
        q: SearchQ = "",
        sort: SortQ = "unit",
    ) -> Response:
        from openpyxl import Workbook

        catalog, form, period, comp, rows = board_data(view, form, period, state, q, sort)
        officers = _officers_by_unit(view)
        wb = Workbook()
        ws = wb.active
        ws.title = view.t("board_sheet")
        ws.append([f"{form} — {_name(view, catalog.form(form))} — {period_label(period, view.lang)}"])
        ws.append(
            [
                view.t(k)
                for k in (
                    "col_unit",
                    "col_name",
                    "col_state",
                    "col_received",
                    "col_receipt",
                    "col_revision",
                    "col_last_seen",
                    "col_officers",
                )
            ]
        )
        for u in rows:
            ws.append(
                [
                    u.unit,
                    u.name,
                    _state_label(view, u.state),
                    vn_time(u.received_at),
                    u.receipt_no or "",
                    u.server_revision or "",
                    vn_time(u.last_seen),
                    ", ".join(officers.get(u.unit, [])),
                ]
            )
        for col, width in zip("ABCDEFGH", (8, 28, 22, 24, 14, 8, 24, 24), strict=True):
            ws.column_dimensions[col].width = width
        buf = io.BytesIO()
        wb.save(buf)
        name = f"{form}-{comp.scope.replace('*', 'all')}-{period}-{view.t('board_file')}.xlsx"
        return Response(
            buf.getvalue(), media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    # -- 3. one report -----------------------------------------------------------------------------------
    @router.get("/report/{unit}/{form}/{period}")
    def report(
        view: ViewDep,
        unit: Unit,
        form: FormCode,
        period: PeriodCode,
        done: Annotated[str, Query(max_length=20)] = "",
    ) -> Response:
        doc = view.hub.report_full(view.account, unit, form, period)
        catalog = view.hub.catalogs.get(doc["catalog_id"], doc["catalog_version"])
        names = {i.code: _name(view, i) for i in catalog.indicators} if catalog is not None else {}
        return view.render(
            "report.html",
            r=doc,
            sections=layout.report_sections(doc, view.lang),
            state_label=_state_label(view, doc["state"]),
            period_name=period_label(period, view.lang),
            previous_name=period_label(doc["previous_period"], view.lang) if doc["previous_period"] else "",
            done=done if done in ("accepted", "returned") else "",
            swing=layout.SWING_PCT,
            ind_name=lambda code: names.get(code, ""),
            key_label=lambda key: layout.key_label(catalog, key, view.lang) if catalog is not None else key,
        )

    @router.post("/report/{unit}/{form}/{period}/review")
    def review(
        view: ViewDep,
        unit: Unit,
        form: FormCode,
        period: PeriodCode,
        csrf: CsrfField = "",
        decision: Annotated[str, Form(max_length=10)] = "",
        comment: Annotated[str, Form(max_length=4000)] = "",
    ) -> Response:
        view.check_csrf(csrf)
        if decision == "return" and not comment.strip():
            raise BadRequest("comment_required", view.t("comment_required"), view.t("comment_required"))
        view.hub.reviews.review(view.account, unit, form, period, decision, comment.strip())
        done = "accepted" if decision == "accept" else "returned"
        return RedirectResponse(f"{PREFIX}/report/{unit}/{form}/{period}?done={done}", status_code=303)

    # -- 4. review queue ---------------------------------------------------------------------------------
    def queue_rows(view: View) -> list[dict]:
        docs = [doc for doc in view.hub.reports(view.account) if doc["status"] in WAITING_STATUSES]
        names = view.hub.unit_names({doc["unit"] for doc in docs})
        rows = [{**doc, "name": names.get(doc["unit"], "")} for doc in docs]
        rows.sort(key=lambda d: (d["form"], d["period"], d["unit"]))
        return rows

    @router.get("/queue")
    def queue(view: ViewDep) -> Response:
        return view.render(
            "queue.html", rows=queue_rows(view), result=None, status_label=lambda s: _status_label(view, s)
        )

    @router.post("/queue/accept")
    def queue_accept(
        view: ViewDep,
        csrf: CsrfField = "",
        sel: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
        comment: Annotated[str, Form(max_length=4000)] = "",
    ) -> Response:
        view.check_csrf(csrf)
        items = []
        for value in sel[:4000]:
            parts = value.split("|")
            if len(parts) == 3:
                items.append((parts[0], parts[1], parts[2]))
        result = view.hub.reviews.bulk_accept(view.account, items, comment.strip())
        skipped = [
            {**s, "why": SKIP_REASONS[s["reason"]][1 if view.lang == "en" else 0]} for s in result["skipped"]
        ]
        return view.render(
            "queue.html",
            rows=queue_rows(view),
            result={"accepted": result["accepted"], "skipped": skipped},
            status_label=lambda s: _status_label(view, s),
        )

    # -- 5. province totals ------------------------------------------------------------------------------
    @router.get("/totals")
    def totals(
        view: ViewDep,
        form: FormQ = "",
        period: PeriodQ = "",
        accepted_only: bool = False,
        chart: Annotated[str, Query(max_length=MAX_CODE)] = "",
    ) -> Response:
        _, form, period = _form_choice(view, form, period)
        scope = resolve_scope(view.account, None)
        catalog = view.hub.totals.catalog_for(form)
        found = view.request.app.state.console_cache.get(  # added up again only after a change on the hub
            view.hub,
            ("totals", form, period, scope, accepted_only),
            lambda: view.hub.totals.totals(form, period, scope, accepted_only=accepted_only),
        )
        sums = view.hub.baseline_sums(  # one read, whatever the number of cells
            form,
            found.units_expected,
            [i.code for i in catalog.form_indicators(form) if i.how_aggregated == "sum"],
        )
        baselines = layout.label_baselines(sums, view.lang)
        indicators = layout.totals_indicators(catalog, form, found, view.lang, baselines)
        summable = [i for i in indicators if i["total"] is not None and i["how"] != "none"]
        chart_code = (
            chart if any(i["code"] == chart for i in summable) else (summable[0]["code"] if summable else "")
        )
        missing_names = view.hub.unit_names([*found.units_missing, *found.legacy_incomplete])
        base = {"form": form, "period": period}
        if accepted_only:
            base["accepted_only"] = "true"
        return view.render(
            "totals.html",
            forms=[(f.code, _name(view, f)) for f in _current_catalog(view).forms],
            form=form,
            form_name=_name(view, catalog.form(form)),
            period=period,
            period_name=period_label(period, view.lang),
            accepted_only=accepted_only,
            t_=found,
            indicators=indicators,
            baselines=baselines,
            unit_word=(
                view.t("word_communes")
                if catalog.form(form).reported_by == "commune"
                else view.t("word_units")
            ),
            summable=summable,
            chart_code=chart_code,
            missing=[(u, missing_names.get(u, "")) for u in found.units_missing],
            legacy_incomplete=[f"{u} {missing_names.get(u, '')}".strip() for u in found.legacy_incomplete],
            base_query=urlencode(base),
            formats=list(EXPORT_MEDIA_TYPES),
        )

    @router.get("/totals/trend.svg")
    def trend_svg(
        view: ViewDep,
        form: FormQ,
        period: PeriodQ,
        code: Annotated[str, Query(min_length=1, max_length=MAX_CODE)],
        accepted_only: bool = False,
    ) -> Response:
        """The trend chart of the totals page: one indicator's total over the last periods, as SVG."""
        scope = resolve_scope(view.account, None)
        trend = (
            view.request.app.state.console_cache.get(  # the same totals as long as nothing on the hub changed
                view.hub,
                ("trend", form, period, scope, accepted_only),
                lambda: view.hub.totals.trends(
                    form, period, scope, periods=TREND_PERIODS, accepted_only=accepted_only
                ),
            )
        )
        svg = templates.get_template("trend.svg").render(
            svg=charts.trend_chart(trend, code, view.lang), legacy_note=view.t("trend_legacy")
        )
        return Response(svg, media_type="image/svg+xml")

    @router.get("/totals/units")
    def drilldown(
        view: ViewDep,
        form: FormQ,
        period: PeriodQ,
        code: Annotated[str, Query(min_length=1, max_length=MAX_CODE)],
        disagg: Annotated[str, Query(max_length=256)] = "",
        accepted_only: bool = False,
    ) -> Response:
        scope = resolve_scope(view.account, None)
        d = view.request.app.state.console_cache.get(
            view.hub,
            ("drilldown", form, period, code, disagg, scope, accepted_only),
            lambda: view.hub.totals.drilldown(form, period, code, disagg, scope, accepted_only=accepted_only),
        )
        catalog = view.hub.totals.catalog_for(form)
        ind = next((i for i in catalog.indicators if i.code == code), None)
        return view.render(
            "drilldown.html",
            d=d,
            form=form,
            period=period,
            period_name=period_label(period, view.lang),
            code=code,
            indicator_name=_name(view, ind) if ind else code,
            cell_label=layout.key_label(catalog, disagg, view.lang),
            missing=list(view.hub.unit_names(d.totals.units_missing).items()),
            status_label=lambda s: _status_label(view, s),
            accepted_only=accepted_only,
        )

    @router.get("/export")
    def export(
        view: ViewDep,
        form: FormQ,
        period: PeriodQ,
        format: Annotated[str, Query(max_length=8)],
        accepted_only: bool = False,
    ) -> Response:
        from dttshub import exports

        if format not in EXPORT_MEDIA_TYPES:
            raise BadRequest("bad_format", "Định dạng tải về không hợp lệ.", "Unknown download format.")
        data = exports.gather(view.hub, view.account, form, period, None, accepted_only=accepted_only)
        return Response(
            exports.render(data, format),
            media_type=EXPORT_MEDIA_TYPES[format],
            headers={"Content-Disposition": f'attachment; filename="{exports.file_name(data, format)}"'},
        )

    # -- 6. conflicts ------------------------------------------------------------------------------------
    @router.get("/conflicts")
    def conflicts(view: ViewDep) -> Response:
        docs = [doc for doc in view.hub.reports(view.account) if doc["status"] == "conflict"]
        names = view.hub.unit_names({doc["unit"] for doc in docs})
        rows = [{**doc, "name": names.get(doc["unit"], "")} for doc in docs]
        return view.render("conflicts.html", rows=rows)

    @router.get("/conflict/{unit}/{form}/{period}")
    def conflict(view: ViewDep, unit: Unit, form: FormCode, period: PeriodCode) -> Response:
        from dttshub.conflictview import conflict_versions

        doc = conflict_versions(view.hub, view.account, unit, form, period)
        return view.render(
            "conflict.html",
            c=doc,
            rows=layout.conflict_rows(view.hub, doc, view.lang),
            period_name=period_label(period, view.lang),
        )

    @router.post("/conflict/{unit}/{form}/{period}")
    def conflict_choose(
        view: ViewDep,
        unit: Unit,
        form: FormCode,
        period: PeriodCode,
        csrf: CsrfField = "",
        choice: Annotated[str, Form(max_length=10)] = "",
        submission_id: Annotated[str, Form(max_length=64)] = "",
        comment: Annotated[str, Form(max_length=4000)] = "",
    ) -> Response:
        view.check_csrf(csrf)
        if choice == "return":
            if not comment.strip():
                raise BadRequest("comment_required", view.t("comment_required"), view.t("comment_required"))
            view.hub.reviews.review(
                view.account, unit, form, period, "return", comment.strip(), submission_id or None
            )
            done = "returned"
        elif choice == "keep":
            view.hub.reviews.review(
                view.account, unit, form, period, "accept", comment.strip(), submission_id or None
            )
            done = "accepted"
        else:
            raise BadRequest("bad_choice", view.t("bad_choice"), view.t("bad_choice"))
        return RedirectResponse(f"{PREFIX}/report/{unit}/{form}/{period}?done={done}", status_code=303)

    # -- 7. administration -------------------------------------------------------------------------------
    def users_in_scope(view: View) -> list[dict]:
        scope = view.account.unit
        out = []
        for u in view.hub.accounts.list_users():
            unit = u["unit"]
            if scope == ALL_UNITS or unit == scope or view.account.covers(unit):  # communes and agencies
                out.append(u)
        return out

    def admin_page(
        view: View,
        message: str = "",
        problems: list | None = None,
        status: int = 200,
        error: bool = False,
        agency: dict | None = None,
    ) -> Response:
        return view.render(
            "admin.html",
            status=status,
            users=users_in_scope(view),
            message=message,
            error=error or bool(problems),
            problems=problems or [],
            versions=view.hub.catalogs.versions()[-5:],
            agencies=view.hub.units.list(view.account.unit),
            agency=agency or {"code": "", "name": ""},
            agency_example=(view.account.unit if view.account.unit != ALL_UNITS else "19") + "-SGDDT",
        )

    def hub_error_page(view: View, exc: HubError, agency: dict | None = None) -> Response:
        """The administration page again with the hub's refusal as its message: nothing was changed."""
        message = exc.message_en if view.lang == "en" else exc.message_vi
        return admin_page(view, message, status=exc.status, error=True, agency=agency)

    def require_agency_in_scope(view: View, code: str) -> str:
        """The province of agency ``code`` when the admin manages it (Forbidden otherwise)."""
        scope = view.account.unit
        province = agency_province(code)
        if scope == ALL_UNITS:
            return province or code[:2]
        if province not in (None, scope):
            raise Forbidden(
                "out_of_scope",
                f"Cơ quan {code} thuộc tỉnh {province}; bạn chỉ quản lý được cơ quan của tỉnh {scope}.",
                f"Agency {code} belongs to province {province}; you manage only the agencies of province "
                f"{scope}.",
            )
        return scope

    def require_user_in_scope(view: View, username: str) -> dict:
        for u in users_in_scope(view):
            if u["username"] == username:
                return u
        raise Forbidden(
            "out_of_scope",
            f"Tài khoản {username} không có hoặc nằm ngoài phạm vi của bạn.",
            f"Account {username} does not exist or is outside your scope.",
        )

    def require_unit_in_scope(view: View, role: str, unit: str) -> None:
        check_account_unit(role, unit)
        scope = view.account.unit
        if scope == ALL_UNITS:
            return
        if view.account.covers(unit) or unit == scope:  # a commune or an agency of the province
            return
        raise Forbidden(
            "out_of_scope", f"Đơn vị {unit} nằm ngoài phạm vi của bạn.", f"Unit {unit} is outside your scope."
        )

    @router.get("/admin")
    def admin(
        view: ViewDep,
        done: Annotated[str, Query(max_length=20)] = "",
        unit: Annotated[str, Query(max_length=8)] = "",
    ) -> Response:
        view.require_admin()
        message = ""
        if is_agency_code(unit):  # after an agency was added, disabled or enabled (post, redirect, get)
            message = {
                "unit_added": view.t("unit_added", code=unit),
                "unit_disabled": view.t("unit_disabled", code=unit),
                "unit_enabled": view.t("unit_enabled", code=unit),
            }.get(done, "")
        return admin_page(view, message)

    @router.post("/admin/units")
    def add_agency(
        view: ViewDep,
        csrf: CsrfField = "",
        code: Annotated[str, Form(max_length=20)] = "",
        name: Annotated[str, Form(max_length=400)] = "",
    ) -> Response:
        """Define an agency of the admin's province (the service of ``dttshub unit add``)."""
        view.require_admin()
        view.check_csrf(csrf)
        code = code.strip().upper()
        typed = {"code": code, "name": name}
        try:
            province = require_agency_in_scope(view, code)
            agency = view.hub.units.add(code, name, province)
        except HubError as exc:
            return hub_error_page(view, exc, typed)
        return RedirectResponse(
            f"{PREFIX}/admin?{urlencode({'done': 'unit_added', 'unit': agency.code})}#agencies",
            status_code=303,
        )

    @router.post("/admin/units/{code}")
    def switch_agency(
        view: ViewDep,
        code: Annotated[str, PathParam(max_length=20)],
        csrf: CsrfField = "",
        action: Annotated[str, Form(max_length=16)] = "",
    ) -> Response:
        """Disable an agency (its reports stay; it is no longer expected to report) or enable it again."""
        view.require_admin()
        view.check_csrf(csrf)
        if action not in ("disable", "enable"):
            raise BadRequest("bad_action", view.t("bad_choice"), view.t("bad_choice"))
        try:
            require_agency_in_scope(view, code)
            if not is_agency_code(code):
                raise NotFound(
                    "unknown_unit", f"Không có cơ quan mã {code}.", f"There is no agency with code {code}."
                )
            agency = view.hub.units.set_disabled(code, action == "disable")
        except HubError as exc:
            return hub_error_page(view, exc)
        done = "unit_disabled" if agency.disabled else "unit_enabled"
        return RedirectResponse(
            f"{PREFIX}/admin?{urlencode({'done': done, 'unit': agency.code})}#agencies", status_code=303
        )

    @router.post("/admin/users")
    def add_user(
        view: ViewDep,
        csrf: CsrfField = "",
        username: Annotated[str, Form(max_length=64)] = "",
        role: Annotated[str, Form(max_length=16)] = "officer",
        unit: Annotated[str, Form(max_length=8)] = "",
        password: Annotated[str, Form(max_length=1000)] = "",
    ) -> Response:
        view.require_admin()
        view.check_csrf(csrf)
        require_unit_in_scope(view, role, unit.strip())
        account = view.hub.accounts.add_user(username.strip(), role, unit.strip(), password)
        return admin_page(view, view.t("user_added", name=account.username))

    @router.post("/admin/users/{username}")
    def change_user(
        view: ViewDep,
        username: Annotated[str, PathParam(max_length=64)],
        csrf: CsrfField = "",
        action: Annotated[str, Form(max_length=16)] = "",
        password: Annotated[str, Form(max_length=1000)] = "",
        unit: Annotated[str, Form(max_length=8)] = "",
    ) -> Response:
        view.require_admin()
        view.check_csrf(csrf)
        user = require_user_in_scope(view, username)
        if action in ("disable", "enable"):
            view.hub.accounts.set_disabled(username, action == "disable")
            message = view.t("user_disabled" if action == "disable" else "user_enabled", name=username)
        elif action == "password":
            view.hub.accounts.set_password(username, password)
            message = view.t("user_password", name=username)
        elif action == "unit":
            require_unit_in_scope(view, user["role"], unit.strip())
            view.hub.accounts.set_unit(username, unit.strip())
            message = view.t("user_unit", name=username, unit=unit.strip())
        else:
            raise BadRequest("bad_action", view.t("bad_choice"), view.t("bad_choice"))
        return admin_page(view, message)

    @router.post("/admin/catalog")
    def publish_catalog(
        view: ViewDep,
        csrf: CsrfField = "",
        workbook: Annotated[UploadFile | None, File()] = None,
    ) -> Response:
        view.require_admin()
        view.check_csrf(csrf)
        if view.account.unit != ALL_UNITS:
            raise Forbidden(
                "role_required",
                "Chỉ quản trị toàn quốc (*) mới công bố được danh mục.",
                "Only an admin of every province (*) may publish the catalogue.",
            )
        if workbook is None or not workbook.filename:
            return admin_page(view, view.t("no_file"), status=400)
        from dttscore.catalog import load_catalog

        data = workbook.file.read(20 * 1024 * 1024 + 1)
        suffix = Path(workbook.filename).suffix.lower()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"catalog{suffix if suffix in ('.xlsx', '.json') else '.bin'}"
            path.write_bytes(data)
            try:
                catalog = load_catalog(path)
            except CatalogError as exc:
                problems = [
                    {
                        "sheet": p.sheet or "",
                        "row": p.row or "",
                        "column": p.column or "",
                        "text": p.message_en if view.lang == "en" else p.message_vi,
                    }
                    for p in exc.problems
                ]
                return admin_page(view, view.t("catalog_refused", n=len(problems)), problems, status=400)
        result = view.hub.catalogs.publish(catalog, by=view.account.username)
        return admin_page(view, view.t("catalog_published", id=result.catalog_id, version=result.version))

    @router.post("/admin/setup-package")
    def setup_package(
        view: ViewDep, csrf: CsrfField = "", username: Annotated[str, Form(max_length=64)] = ""
    ) -> Response:
        view.require_admin()
        view.check_csrf(csrf)
        require_user_in_scope(view, username)
        target = view.hub.accounts.get_user(username)
        url = view.hub.config.public_url or str(view.request.base_url).rstrip("/")
        data = view.hub.setup_package(target, url)
        return Response(
            data,
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{username}.dttssetup"'},
        )

    return router


@dataclass(frozen=True)
class StartCounts:
    """What the start page shows of one form and period (from :func:`dttshub.completeness.completeness`)."""

    deadline: date
    expected: int
    received: int
    on_time: int
    accepted: int

    def rate(self, n: int) -> float:
        return round(100.0 * n / self.expected, 1) if self.expected else 0.0


def _start_forms(view: View) -> list[dict]:
    """Each form of the current catalogue with its last periods' counts and waiting reports."""
    catalog = _current_catalog(view)
    forms = []
    for f in catalog.forms:
        rows = []
        for period in _due_periods(view, f.period_type, START_PERIODS):
            comp = view.hub.completeness(view.account, f.code, period)
            counts = StartCounts(comp.deadline, comp.expected, comp.received, comp.on_time, comp.accepted)
            waiting = sum(comp.count(s) for s in WAITING_STATES)
            rows.append({"period": period, "c": counts, "waiting": waiting})
        forms.append({"code": f.code, "name_vi": f.name_vi, "name_en": f.name_en, "rows": rows})
    return forms


def _status_label(view: View, status: str) -> str:
    state = {"submitted": "on_time"}.get(status, status)
    return _state_label(view, state)


def _login_page(
    view: View, next: str = "", error: str = "", status: int = 200, username: str = ""
) -> Response:
    import secrets

    token = secrets.token_urlsafe(24)
    reply = view.render(
        "login.html",
        status=status,
        next=_safe_next(next) if next else "",
        error=error,
        username=username,
        login_csrf=token,
    )
    reply.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=secure_cookies(view.request),
    )
    return reply
