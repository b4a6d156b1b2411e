"""Inline SVG charts of the implementation report (horizontal bars, so long labels stay readable on a
phone and in the PDF). Each chart has a title and description and is always printed beside a table
with the same numbers, which is the accessible version."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString

from peerpath.lib.svg import svg_chart

# Okabe–Ito blue and a dark grey: both ≥ 4.5:1 against white; series also differ by fill pattern.
COLOURS = ("#0072B2", "#5f6b7a", "#B8420F", "#117733")
WIDTH = 640
LABEL_W, RIGHT, TOP, ROW, BAR_GAP = 230, 48, 28, 22, 6


def hbar_chart(chart_id: str, title: str, description: str, categories: list[str],
               series: list[tuple[str, list[float | None]]], x_max: float, x_min: float = 0.0,
               decimals: int = 1, colours: tuple[str, ...] = COLOURS) -> SafeString | None:
    """Grouped horizontal bars: one group per category, one bar per series (legend at the top, one line per
    series)."""
    values = [v for _label, vs in series for v in vs if v is not None]
    if not values or not categories:
        return None
    group_h = ROW * len(series) + BAR_GAP * 2
    top = TOP + 16 * (len(series) - 1)
    height = top + group_h * len(categories) + 24
    span = (x_max - x_min) or 1.0
    plot_w = WIDTH - LABEL_W - RIGHT

    def x_of(v: float) -> float:
        return LABEL_W + plot_w * (min(max(v, x_min), x_max) - x_min) / span

    parts = []
    ticks = 4
    for k in range(ticks + 1):
        value = x_min + span * k / ticks
        x = x_of(value)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 20}" stroke="#d0d0d0"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" font-size="11" fill="#333">'
                     f'{value:g}</text>')
    for s, (label, _vs) in enumerate(series):
        colour = colours[s % len(colours)]
        parts.append(f'<rect x="{LABEL_W}" y="{4 + 16 * s}" width="14" height="12" fill="{colour}"'
                     f'{_pattern(s)}/><text x="{LABEL_W + 18}" y="{14 + 16 * s}" font-size="12" fill="#222">'
                     f'{escape(label)}</text>')
    for i, category in enumerate(categories):
        y0 = top + group_h * i + BAR_GAP
        short = category if len(category) <= 34 else category[:33] + "…"
        parts.append(f'<text x="{LABEL_W - 6}" y="{y0 + group_h / 2:.1f}" text-anchor="end" font-size="12" '
                     f'fill="#222">{escape(short)}</text>')
        for s, (_label, vs) in enumerate(series):
            v = vs[i] if i < len(vs) else None
            y = y0 + ROW * s
            if v is None:
                parts.append(f'<text x="{LABEL_W + 4}" y="{y + ROW * 0.7:.1f}" font-size="11" fill="#333">–</text>')
                continue
            colour = colours[s % len(colours)]
            parts.append(f'<rect x="{LABEL_W}" y="{y + 2}" width="{max(x_of(v) - LABEL_W, 1):.1f}" '
                         f'height="{ROW - 5}" fill="{colour}"{_pattern(s)}/>')
            parts.append(f'<text x="{x_of(v) + 4:.1f}" y="{y + ROW * 0.7:.1f}" font-size="11" fill="#222">'
                         f'{v:.{decimals}f}</text>')
    parts.append(f'<line x1="{LABEL_W}" x2="{LABEL_W}" y1="{top - 4}" y2="{height - 20}" stroke="#333"/>')
    return svg_chart(chart_id, title, description, "".join(parts), width=WIDTH, height=height)


def _pattern(series_index: int) -> str:
    """Series after the first get a dark outline, so they differ by more than colour."""
    return "" if series_index == 0 else ' stroke="#111" stroke-width="1"'
