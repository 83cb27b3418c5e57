"""Static charts (PNG) for PDF documents; the pages draw their own interactive charts."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first

from allianz.pdf import printable  # noqa: E402

COLORS = ("#1d6a96", "#e9a23b", "#2a9d8f", "#c8553d", "#6c757d")


def bars(
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    title: str,
    unit: str = "",
) -> bytes:
    """Grouped horizontal bars, one group per label; readable with long German labels."""
    height = max(2.2, 0.45 * len(labels) * max(1, len(series)) + 1.2)
    fig, ax = plt.subplots(figsize=(7.5, height), dpi=130)
    try:
        count = max(1, len(series))
        bar = 0.8 / count
        positions = range(len(labels))
        for index, (name, values) in enumerate(series.items()):
            offsets = [p + index * bar for p in positions]
            ax.barh(offsets, values, height=bar, label=_safe(name), color=COLORS[index % 5])
            for y, value in zip(offsets, values, strict=True):
                ax.text(value, y, f" {value:g}".replace(".", ","), va="center", fontsize=7)
        ax.set_yticks([p + bar * (count - 1) / 2 for p in positions])
        ax.set_yticklabels([_safe(_short(str(label))) for label in labels], fontsize=8)
        ax.invert_yaxis()
        ax.set_title(_safe(title), fontsize=10)
        if unit:
            ax.set_xlabel(unit, fontsize=8)
        if len(series) > 1:
            ax.legend(fontsize=7, loc="lower right")
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


def _safe(text: str) -> str:
    """Literal text: matplotlib would read $...$ as a formula."""
    return printable(text).replace("$", r"\$")


def _short(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
