"""Scan the PDF renderings of the five sample plans: the fixtures of tests/test_ocr.py.

The digital renderings tests/fixtures/formats/NNN.pdf (scripts/make_fixtures.py) are
rasterised with pypdfium2 and degraded the way a secretariat's scanner and phone do.
Everything is seeded, so a re-run writes the same bytes.

For every seed NNN, in tests/fixtures/scans/:

- NNN_300.pdf   every page at 300 dpi, black and white (the office scanner's default
                "text" mode: bilevel, CCITT G4), slightly rotated (±0.4°), with dust specks;
- NNN_200.pdf   the first three pages (title page, the first two pages of the measure table)
                at 200 dpi, grayscale, rotated 0.6–1.5° either way, sensor noise, a darker
                paper tone, JPEG quality 30 (~150 KB a page; all pages would be 10 MB).

And one of each of the other ways a page image arrives:

- 001_turned.tif  001 as a multi-page TIFF (200 dpi, G4) fed the wrong way: page 2 upside
                  down and page 3 sideways (turned 90° clockwise);
- 003_p3.png      one table page of 003 as a PNG (200 dpi, grayscale, 16 levels);
- 004_photo.jpg   one table page of 004 photographed: perspective (the phone held at an
                  angle), uneven light (a shadow falling off across the page), JPEG;
- 004_mixed.pdf   the digital 004.pdf with its page 3 replaced by a 200-dpi scan (a signed
                  page rescanned into a digital plan): only that page needs OCR.

Usage: .venv/bin/python scripts/make_scans.py [--out tests/fixtures/scans]
"""

from __future__ import annotations

import argparse
import io
import re
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ROOT / "tests" / "fixtures" / "formats"
SEEDS = ["000", "001", "002", "003", "004"]
PAGES_200 = 3  # a grayscale JPEG page is ~150 KB: the title page and the first two table pages


def render(pdf: pdfium.PdfDocument, index: int, dpi: int) -> Image.Image:
    return pdf[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")


def rotate(image: Image.Image, degrees: float) -> Image.Image:
    return image.rotate(degrees, resample=Image.BICUBIC, expand=False, fillcolor=255)


def specks(image: Image.Image, rng: np.random.Generator, count: int) -> Image.Image:
    """Dust on the glass: small dark dots at random places."""
    pixels = np.array(image)
    height, width = pixels.shape
    for _ in range(count):
        y, x = int(rng.integers(0, height - 3)), int(rng.integers(0, width - 3))
        size = int(rng.integers(1, 4))
        pixels[y:y + size, x:x + size] = 0
    return Image.fromarray(pixels)


def sensor_noise(image: Image.Image, rng: np.random.Generator, sigma: float, paper: int) -> Image.Image:
    """Gaussian sensor noise on a greyish paper tone (white maps to ``paper``)."""
    pixels = np.asarray(image, dtype=np.float32) * (paper / 255.0)
    pixels += rng.normal(0.0, sigma, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def bilevel(image: Image.Image) -> Image.Image:
    return image.point(lambda value: 255 if value > 160 else 0).convert("1", dither=Image.Dither.NONE)


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return Image.open(io.BytesIO(buffer.getvalue()))


def save_pdf(pages: list[Image.Image], out: Path, dpi: int) -> None:
    """An image-only PDF. Pillow writes G4 for bilevel pages and DCT for JPEG-opened ones."""
    stamp = time.gmtime(1_796_083_200)  # fixed dates: the same bytes on every run
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=dpi, creationDate=stamp, modDate=stamp)


def scan_300(pdf: pdfium.PdfDocument, rng: np.random.Generator) -> list[Image.Image]:
    pages = []
    for index in range(len(pdf)):
        image = rotate(render(pdf, index, 300), float(rng.uniform(-0.4, 0.4)))
        pages.append(bilevel(specks(image, rng, 60)))
    return pages


def scan_200(pdf: pdfium.PdfDocument, rng: np.random.Generator, pages_wanted: int | None = None) -> list[Image.Image]:
    pages = []
    for index in range(min(len(pdf), pages_wanted or len(pdf))):
        angle = float(rng.uniform(0.6, 1.5)) * (1 if rng.random() < 0.5 else -1)
        image = rotate(render(pdf, index, 200), angle)
        # The scanner's optics soften the noise a little; that keeps a page near 150 KB.
        noisy = sensor_noise(image, rng, sigma=5.0, paper=236).filter(ImageFilter.GaussianBlur(0.8))
        pages.append(jpeg(noisy, quality=30))
    return pages


def photographed(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A page photographed with a phone held at an angle, a shadow across it."""
    width, height = image.size
    shrink = 0.06
    # The top edge further away: narrower, and the page a little turned.
    quad = [(width * shrink, height * 0.02), (width * (1 - shrink * 0.6), 0),
            (width, height), (0, height * 0.99)]
    coefficients = _perspective(quad, [(0, 0), (width, 0), (width, height), (0, height)])
    canvas = Image.new("L", (width, height), 120)
    warped = image.transform((width, height), Image.PERSPECTIVE, coefficients, Image.BICUBIC, fillcolor=120)
    canvas.paste(warped)
    light = np.linspace(1.0, 0.62, width, dtype=np.float32)[None, :] * np.linspace(1.0, 0.85, height, dtype=np.float32)[:, None]
    pixels = np.asarray(canvas.filter(ImageFilter.GaussianBlur(0.8)), dtype=np.float32) * light
    pixels += rng.normal(0.0, 4.0, pixels.shape)
    return jpeg(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)), quality=60)


def _perspective(source: list[tuple[float, float]], target: list[tuple[float, float]]) -> list[float]:
    """PIL's perspective coefficients mapping output points ``source`` to input points ``target``."""
    matrix = []
    for (x, y), (u, v) in zip(source, target):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    solution = np.linalg.solve(np.array(matrix, dtype=np.float64), np.array([c for point in target for c in point], dtype=np.float64))
    return solution.tolist()


def mixed_pdf(seed: str, page: int, rng: np.random.Generator, out: Path) -> None:
    """The digital PDF with one page replaced by its scan."""
    digital = pdfium.PdfDocument(FORMATS / f"{seed}.pdf")
    scan = scan_200(_single(digital, page), rng)[0]
    buffer = io.BytesIO()
    save_pdf([scan], buffer, 200)
    scanned = pdfium.PdfDocument(buffer.getvalue())
    result = pdfium.PdfDocument.new()
    result.import_pages(digital, list(range(page)))
    result.import_pages(scanned, [0])
    result.import_pages(digital, list(range(page + 1, len(digital))))
    buffer = io.BytesIO()
    result.save(buffer)
    # PDFium writes the time and a random file identifier; fixed ones of the same length keep the bytes reproducible.
    data = re.sub(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]",
                  lambda m: b"/ID [<" + b"0" * len(m.group(1)) + b"><" + b"0" * len(m.group(2)) + b">]", buffer.getvalue())
    out.write_bytes(re.sub(rb"\(D:\d{14}", b"(D:20261201000000", data))


def _single(pdf: pdfium.PdfDocument, index: int) -> pdfium.PdfDocument:
    single = pdfium.PdfDocument.new()
    single.import_pages(pdf, [index])
    return single


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "fixtures" / "scans")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for number, seed in enumerate(SEEDS):
        pdf = pdfium.PdfDocument(FORMATS / f"{seed}.pdf")
        save_pdf(scan_300(pdf, np.random.default_rng(300 + number)), out / f"{seed}_300.pdf", 300)
        save_pdf(scan_200(pdf, np.random.default_rng(200 + number), PAGES_200), out / f"{seed}_200.pdf", 200)
    rng = np.random.default_rng(14)
    pdf = pdfium.PdfDocument(FORMATS / "001.pdf")
    pages = [bilevel(render(pdf, index, 200)) for index in range(len(pdf))]
    pages[1] = pages[1].rotate(180, expand=True)
    pages[2] = pages[2].rotate(-90, expand=True)
    pages[0].save(out / "001_turned.tif", save_all=True, append_images=pages[1:], compression="group4", dpi=(200, 200))
    page = render(pdfium.PdfDocument(FORMATS / "003.pdf"), 2, 200).quantize(16, dither=Image.Dither.NONE).convert("L")
    page.save(out / "003_p3.png", optimize=True, dpi=(200, 200))
    photographed(render(pdfium.PdfDocument(FORMATS / "004.pdf"), 2, 200), rng).save(out / "004_photo.jpg", dpi=(200, 200))
    mixed_pdf("004", 2, rng, out / "004_mixed.pdf")
    for path in sorted(out.iterdir()):
        print(f"{path.name}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
