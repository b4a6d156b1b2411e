"""Inline SVG charts of integration: the two gradients (Dixon et al. 1997) as one path per team, and the
integration index per team over the months. Each chart has a title and a description for screen readers
and is always printed beside a table with the same numbers, which is the accessible version."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerpath.implementation.integration.selectors import IntegrationMetrics, TeamTrend
from peerpath.lib.svg import svg_chart

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a typing-only dependency (requirements-dev)

# Okabe–Ito colours (each ≥ 3:1 against white); teams also differ by dash pattern and marker shape.
COLOURS = ("#0072B2", "#B8420F", "#117733", "#6A3D9A", "#5f6b7a", "#AA4499", "#332288", "#7A5A00")
DASHES = ("", "6 4", "2 3", "10 3 2 3")
WIDTH, HEIGHT = 640, 440
LEFT, RIGHT, TOP, BOTTOM = 60, 24, 20, 52


def _svg(chart_id: str, title: str, description: str, body: str, height: int = HEIGHT) -> SafeString:
    return svg_chart(chart_id, title, description, body, width=WIDTH, height=height)


def _style(index: int) -> tuple[str, str]:
    return COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]


def _marker(index: int, x: float, y: float, colour: str, size: float = 5) -> str:
    shape = index % 3
    if shape == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size}" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size}" height="{2 * size}" fill="{colour}"/>'
    return (f'<polygon points="{x:.1f},{y - size - 1:.1f} {x + size + 1:.1f},{y + size:.1f} {x - size - 1:.1f},{y + size:.1f}" '
            f'fill="{colour}"/>')


LEGEND_COLUMNS, LEGEND_ROW = 2, 20


def _legend_height(metrics: IntegrationMetrics) -> int:
    rows = -(-len(metrics.teams) // LEGEND_COLUMNS)
    return max(rows - 1, 0) * LEGEND_ROW + (LEGEND_ROW if rows else 0)


def _legend(metrics: IntegrationMetrics, top: float, *, markers: bool) -> str:
    """Team names in rows of two under the plot: line style, colour (and marker) as drawn."""
    parts = []
    column_w = (WIDTH - LEFT) / LEGEND_COLUMNS
    for index, team in enumerate(metrics.teams):
        colour, dash = _style(index)
        x = LEFT + column_w * (index % LEGEND_COLUMNS)
        y = top + LEGEND_ROW * (index // LEGEND_COLUMNS)
        parts.append(f'<line x1="{x:.1f}" x2="{x + 26:.1f}" y1="{y - 4:.1f}" y2="{y - 4:.1f}" stroke="{colour}" '
                     f'stroke-width="3" stroke-dasharray="{dash}"/>')
        if markers:
            parts.append(_marker(index, x + 13, y - 4, colour, 4))
        name = team.name if len(team.name) <= 36 else team.name[:35] + "…"
        parts.append(f'<text x="{x + 32:.1f}" y="{y:.1f}" font-size="12" fill="#333">{escape(name)}</text>')
    return "".join(parts)


def gradients_chart(metrics: IntegrationMetrics, chart_id: str = "gradients") -> SafeString:
    """x: how peer-specific the work is; y: how integrated the workers are. One path per team, a point per
    month (per quarter over longer periods), the team's name at its latest point."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(value: float) -> float:
        return LEFT + plot_w * value

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value)

    # Labels outside the f-strings below, so that makemessages finds them.
    x_label = _("How peer-specific the work is (share of client time)")
    y_label = _("How integrated the peers are (index)")
    top_right = _("Peer-specific and integrated")
    bottom_left = _("Generic tasks, kept apart")
    body = []
    for k in range(5):
        v = k / 4
        body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y_of(v):.1f}" y2="{y_of(v):.1f}" stroke="#e0e0e0"/>')
        body.append(f'<line x1="{x_of(v):.1f}" x2="{x_of(v):.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="#e0e0e0"/>')
        body.append(f'<text x="{LEFT - 6}" y="{y_of(v) + 4:.1f}" text-anchor="end" font-size="12" fill="#333">{v:.0%}</text>')
        body.append(f'<text x="{x_of(v):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12" '
                    f'fill="#333">{v:.0%}</text>')
    body.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="#333"/>')
    body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" stroke="#333"/>')
    body.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="13" fill="#333">'
                f'{escape(x_label)}</text>')
    middle = TOP + plot_h / 2
    body.append(f'<text x="16" y="{middle:.1f}" font-size="13" fill="#333" transform="rotate(-90 16 {middle:.1f})" '
                f'text-anchor="middle">{escape(y_label)}</text>')
    body.append(f'<text x="{WIDTH - RIGHT - 6}" y="{TOP + 14}" text-anchor="end" font-size="12" fill="#555">'
                f'{escape(top_right)}</text>')
    body.append(f'<text x="{LEFT + 6}" y="{HEIGHT - BOTTOM - 8}" font-size="12" fill="#555">'
                f'{escape(bottom_left)}</text>')
    for index, team in enumerate(metrics.teams):
        points = team.path
        if not points:
            continue
        colour, dash = _style(index)
        coords = [(x_of(p["x"]), y_of(p["y"])) for p in points]
        if len(coords) > 1:
            line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            body.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2.5" '
                        f'stroke-dasharray="{dash}" stroke-opacity="0.85"/>')
        for x, y in coords[:-1]:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
        last_x, last_y = coords[-1]
        body.append(_marker(index, last_x, last_y, colour, 6))
    body.append(_legend(metrics, HEIGHT + 8, markers=True))
    description = _("Scatter chart with one path per team, from the start of the period to its latest month; "
                    "the tables below give the same numbers.")
    return _svg(chart_id, _("The two gradients of peer work, per team over time"), description, "".join(body),
                HEIGHT + _legend_height(metrics))


def index_chart(metrics: IntegrationMetrics, chart_id: str = "index-trend") -> SafeString:
    """The integration index per team and month (lines), for seeing when a change happened."""
    height = 320
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM - 20
    n = len(metrics.months)

    def x_of(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value)

    body = []
    for k in range(5):
        v = k / 4
        body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y_of(v):.1f}" y2="{y_of(v):.1f}" stroke="#e0e0e0"/>')
        body.append(f'<text x="{LEFT - 6}" y="{y_of(v) + 4:.1f}" text-anchor="end" font-size="12" fill="#333">{v:.0%}</text>')
    step = max(1, n // 6)
    for i, month in enumerate(metrics.months):
        if i % step == 0 or i == n - 1:
            body.append(f'<text x="{x_of(i):.1f}" y="{TOP + plot_h + 18:.1f}" text-anchor="middle" font-size="12" '
                        f'fill="#333">{month:%b %Y}</text>')
    body.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h:.1f}" y2="{TOP + plot_h:.1f}" stroke="#333"/>')
    for index, team in enumerate(metrics.teams):
        colour, dash = _style(index)
        segment: list[str] = []
        segments = []
        for i, row in enumerate(team.months):
            value = row.integration_index
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x_of(i):.1f},{y_of(value):.1f}")
        if segment:
            segments.append(segment)
        body.extend(f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2.5" '
                    f'stroke-dasharray="{dash}"/>' for points in segments)
    body.append(_legend(metrics, height - 18, markers=False))
    return _svg(chart_id, _("Integration index per team and month"),
                _("Line chart, one line per team; the table below gives the same numbers."), "".join(body),
                height + max(_legend_height(metrics) - LEGEND_ROW, 0))


# Attribute of TeamMonth, label, shown as a percentage.
MEASURES: tuple[tuple[str, StrOrPromise, bool], ...] = (
    ("peer_specific_share", gettext_lazy("Peer-specific share of client time"), True),
    ("integration_index", gettext_lazy("Integration index"), True),
    ("attendance_rate", gettext_lazy("Team meeting attendance"), True),
    ("consultation_reach", gettext_lazy("Peers consulted by colleagues"), True),
    ("record_access_rate", gettext_lazy("Caseload records opened by peers"), True),
    ("referrals", gettext_lazy("Referrals per month"), False),
    ("consultations", gettext_lazy("Consultations per month"), False),
    ("caseload", gettext_lazy("Caseload per peer"), False),
)


def summary_rows(metrics: IntegrationMetrics) -> list[dict[str, object]]:
    """Per team: each measure in the first and the latest quarter of the period (the chart's end points)."""
    return [{"team": team, "trend": trend(team), "measures": [
        {"label": label, "first": team.first_quarter(attribute), "last": team.last_quarter(attribute),
         "percent": percent} for attribute, label, percent in MEASURES]} for team in metrics.teams]


def index_rows(metrics: IntegrationMetrics) -> list[tuple[object, list[float | None]]]:
    """The index chart's table: a row per month, a column per team."""
    return [(month, [team.months[i].integration_index for team in metrics.teams])
            for i, month in enumerate(metrics.months)]


RISE = 0.10  # ten points of the index between the first and the latest three months


def trend(team: TeamTrend) -> str:
    change = team.change("integration_index")
    if change is None:
        return ""
    return "rising" if change >= RISE else "falling" if change <= -RISE else "steady"


def report_chart(metrics: IntegrationMetrics) -> SafeString:
    """The report's integration section: the gradients chart and its table of first and latest quarters."""
    return render_to_string("implementation/integration/_summary.html", {
        "metrics": metrics, "chart": gradients_chart(metrics, chart_id="report-gradients"),
        "rows": summary_rows(metrics), "heading_level": 3})
