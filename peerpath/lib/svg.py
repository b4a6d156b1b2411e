"""The accessible frame of every server-rendered SVG chart: a title and a description that screen readers
announce (the chart is always printed beside a table with the same numbers)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def svg_chart(chart_id: str, title: str, description: str, body: str, *, width: int, height: float) -> SafeString:
    """``body`` is SVG markup the caller built from numbers and escaped labels."""
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{i}-t {i}-d" '
        'preserveAspectRatio="xMidYMid meet" width="100%" focusable="false">'
        '<title id="{i}-t">{t}</title><desc id="{i}-d">{d}</desc>{b}</svg>',
        w=width, h=height, i=chart_id, t=title, d=description,
        b=mark_safe(body),  # noqa: S308 - callers build the body from numbers and escaped labels
    )
