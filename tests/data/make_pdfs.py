"""Make the committed PDFs in tests/data/formats (run once: `uv run python tests/data/make_pdfs.py`).

- seed-15.pdf: the 15 bundled seed tables, one ruled table per page, as Excel's "save as PDF" makes them
  (reportlab with its built-in STSong-Light CJK font, from tests/render.py's grid of the published form);
- seed-15-no-rules.pdf: the same without any ruling lines (read from the text layout);
- scan.pdf: a page with only an image and no text layer, as a scanner makes it;
- locked.pdf: seed 表1 with an open password ("jixiao").
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tests import render  # noqa: E402
from tests.seed_tables import seed  # noqa: E402


def scan_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    # A grey 40x40 raw image: a PNG written by hand-free means (reportlab reads PPM-like bytes through PIL
    # only), so draw it as an inline image from a tiny BMP built here.
    width = height = 40
    row = b"\x80\x80\x80" * width
    bmp_rows = b"".join(row + b"\x00" * ((4 - len(row) % 4) % 4) for _ in range(height))
    header = b"BM" + (54 + len(bmp_rows)).to_bytes(4, "little") + b"\x00\x00\x00\x00" + (54).to_bytes(4, "little")
    info = (40).to_bytes(4, "little") + width.to_bytes(4, "little") + height.to_bytes(4, "little")
    info += (1).to_bytes(2, "little") + (24).to_bytes(2, "little") + b"\x00" * 24
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawImage(ImageReader(io.BytesIO(header + info + bmp_rows)), 50, 400, 400, 300)
    c.showPage()
    c.save()
    return out.getvalue()


def locked_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, encrypt="jixiao")
    c.setFont("STSong-Light", 12)
    c.drawString(50, 800, "部门项目支出预算绩效目标表")
    c.showPage()
    c.save()
    return out.getvalue()


def main() -> None:
    out = HERE / "formats"
    out.mkdir(exist_ok=True)
    (out / "seed-15.pdf").write_bytes(render.pdf_bytes([seed(n) for n in range(1, 16)]))
    (out / "seed-15-no-rules.pdf").write_bytes(render.pdf_bytes([seed(n) for n in range(1, 16)], rules=False))
    (out / "scan.pdf").write_bytes(scan_pdf())
    (out / "locked.pdf").write_bytes(locked_pdf())


if __name__ == "__main__":
    main()
