"""Draw the application icon: ``installer/dttsclient.ico`` (Windows, 16–256 px) and ``dttsclient.png``.

The icon is drawn, not downloaded, so that it can be rebuilt from the repository alone: a red rounded
square (the colour of the province forms) holding a white report sheet with a grid and three yellow
bars. Run it after changing the drawing; the build uses the checked-in files and never runs this.

Usage:
    python installer/make_icon.py [OUT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

SIZES = (16, 24, 32, 48, 64, 128, 256)
RED = (183, 28, 28, 255)
WHITE = (255, 255, 255, 255)
GRID = (176, 190, 197, 255)
YELLOW = (255, 193, 7, 255)
DARK = (120, 16, 16, 255)


def draw(size: int = 256) -> Image.Image:
    """The icon at ``size`` pixels (drawn at 4× and scaled down for smooth edges)."""
    s = size * 4
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    u = s / 64  # one unit of a 64-unit design grid
    d.rounded_rectangle((2 * u, 2 * u, 62 * u, 62 * u), radius=12 * u, fill=RED)
    # The report sheet.
    d.rounded_rectangle((13 * u, 9 * u, 51 * u, 55 * u), radius=3 * u, fill=WHITE)
    # Its header band and grid.
    d.rectangle((13 * u, 9 * u, 51 * u, 17 * u), fill=DARK)
    for y in (25, 33, 41):
        d.line((16 * u, y * u, 48 * u, y * u), fill=GRID, width=max(1, round(1.2 * u)))
    # Three bars rising from the sheet's foot.
    for i, height in enumerate((10, 17, 24)):
        x0 = (19 + i * 9) * u
        d.rectangle((x0, (51 - height) * u, x0 + 6 * u, 51 * u), fill=YELLOW)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    big = draw(256)
    big.save(out / "dttsclient.ico", sizes=[(n, n) for n in SIZES])
    big.save(out / "dttsclient.png")
    print(f"wrote {out / 'dttsclient.ico'} and {out / 'dttsclient.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
