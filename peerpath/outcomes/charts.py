"""Server-rendered inline SVG charts. Each chart has a title and description for screen readers and
is always shown beside a data table with the same numbers (the table is the accessible version)."""

from __future__ import annotations

import math
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from peerpath.lib.svg import svg_chart

# Colour-blind-safe pair (Okabe–Ito blue and vermillion), both ≥ 3:1 against white; the groups are
# also told apart by line style (solid / dashed), not by colour alone.
COLOURS = {"peer": "#0072B2", "comparison": "#B8420F"}
DASH = {"peer": "", "comparison": "6 4"}
WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44


def _nice_max(value: float) -> float:
    """A round axis maximum whose quarters are round too (0.25, 0.5, 1, 2, 2.5 × a power of ten)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    return next(m * magnitude for m in (1, 2, 4, 8, 10) if m * magnitude >= value)


def _svg(chart_id: str, title: str, description: str, body: str) -> SafeString:
    return svg_chart(chart_id, title, description, body, width=WIDTH, height=HEIGHT)


def _axes(y_max: float, y_label: str, x_labels: list[tuple[float, str]], x_of: Any, y_of: Any, percent: bool) -> str:
    parts = []
    for k in range(5):
        value = y_max * k / 4
        y = y_of(value)
        label = f"{value * 100:.0f}%" if percent else (f"{value:g}" if y_max < 5 else f"{value:.0f}")
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d0d0"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#333">{label}</text>')
    for x_value, label in x_labels:
        x = x_of(x_value)
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12" fill="#333">{escape(label)}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="#333"/>')
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" stroke="#333"/>')
    parts.append(f'<text x="14" y="{TOP + (HEIGHT - TOP - BOTTOM) / 2:.1f}" font-size="12" fill="#333" '
                 f'transform="rotate(-90 14 {TOP + (HEIGHT - TOP - BOTTOM) / 2:.1f})" text-anchor="middle">{escape(y_label)}</text>')
    return "".join(parts)


def _legend(labels: dict[str, str]) -> str:
    parts, x = [], LEFT + 8
    for group, label in labels.items():
        parts.append(f'<line x1="{x}" x2="{x + 24}" y1="{HEIGHT - 8}" y2="{HEIGHT - 8}" stroke="{COLOURS[group]}" '
                     f'stroke-width="3" stroke-dasharray="{DASH[group]}"/>')
        parts.append(f'<text x="{x + 30}" y="{HEIGHT - 4}" font-size="12" fill="#222">{escape(label)}</text>')
        x += 40 + 8 * len(label)
    return "".join(parts)


def km_chart(km: dict[str, Any], labels: dict[str, str]) -> SafeString | None:
    """Share not yet re-admitted over days since the index date, with 95% bands."""
    curves = {g: km["groups"][g].get("curve") for g in labels if km["groups"][g].get("curve")}
    if not curves:
        return None
    x_max = max(max(p[0] for p in c) for c in curves.values()) or 1.0
    x_max = min(max(x_max, 30.0), 730.0)

    def x_of(v: float) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * min(v, x_max) / x_max

    def y_of(v: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - v)

    ticks = [(t, str(t)) for t in (0, 30, 90, 180, 365, 545, 730) if t <= x_max]
    body = [_axes(1.0, _("Not yet re-admitted"), ticks, x_of, y_of, True)]
    for group, curve in curves.items():
        curve = [p for p in curve if p[0] <= x_max]
        upper, lower, line = [], [], []
        prev = None
        for t, s, lo, hi in curve:
            if prev is not None:
                line.append(f"{x_of(t):.1f},{y_of(prev[1]):.1f}")
                upper.append(f"{x_of(t):.1f},{y_of(prev[3]):.1f}")
                lower.append(f"{x_of(t):.1f},{y_of(prev[2]):.1f}")
            line.append(f"{x_of(t):.1f},{y_of(s):.1f}")
            upper.append(f"{x_of(t):.1f},{y_of(hi):.1f}")
            lower.append(f"{x_of(t):.1f},{y_of(lo):.1f}")
            prev = (t, s, lo, hi)
        band = " ".join(upper + list(reversed(lower)))
        body.append(f'<polygon points="{band}" fill="{COLOURS[group]}" fill-opacity="0.15" stroke="none"/>')
        body.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="{COLOURS[group]}" stroke-width="2.5" '
                    f'stroke-dasharray="{DASH[group]}"/>')
    body.append(_legend({g: labels[g] for g in curves}))
    return _svg("km", _("Kaplan–Meier: share not yet re-admitted"),
                _("Step curves with confidence bands (95%) for each group over days since the index date; "
                  "the table below gives the same numbers."), "".join(body))


def bar_chart(chart_id: str, title: str, y_label: str, categories: list[str], series: dict[str, list[float | None]],
              labels: dict[str, str], percent: bool = False) -> SafeString | None:
    values = [v for vs in series.values() for v in vs if v is not None]
    if not values:
        return None
    y_max = _nice_max(max(values) * 1.1)
    if percent:
        y_max = min(1.0, y_max)
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    bar = slot / (len(series) + 1)

    def y_of(v: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - v / y_max)

    body = [_axes(y_max, y_label, [(i, c) for i, c in enumerate(categories)],
                  lambda i: LEFT + slot * (i + 0.5), y_of, percent)]
    for k, (group, vals) in enumerate(series.items()):
        for i, v in enumerate(vals):
            if v is None:
                continue
            x = LEFT + slot * i + bar * (k + 0.5)
            pattern = "" if group == "peer" else ' stroke="#222" stroke-width="1" stroke-dasharray="4 2"'
            body.append(f'<rect x="{x:.1f}" y="{y_of(v):.1f}" width="{bar * 0.9:.1f}" height="{y_of(0) - y_of(v):.1f}" '
                        f'fill="{COLOURS[group]}"{pattern}/>')
    body.append(_legend({g: labels[g] for g in series}))
    return _svg(chart_id, title, _("Bar chart; the table below gives the same numbers."), "".join(body))
