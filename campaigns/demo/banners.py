"""Generated banner images for the demo creatives: PNG bytes made with Pillow, in memory.

The background (the campaign's colour) covers most of the picture, so the dominant-colour extraction of
``campaigns.colors`` names it; a cream frame, a disc and the title sit on top, with a small Italian flag.
"""

import io

from PIL import Image, ImageDraw, ImageFont

CREAM = (250, 246, 238)
FLAG = ((0, 140, 69), (244, 245, 240), (205, 33, 42))


def banner_png(color: tuple[int, int, int], size: tuple[int, int], title: str) -> bytes:
    """A banner of ``size`` in ``color`` with ``title`` (Latin letters: the default font has no Chinese)."""
    width, height = size
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    short = min(width, height)
    margin, line = round(short * 0.06), max(2, short // 90)
    draw.rectangle((margin, margin, width - margin - 1, height - margin - 1), outline=CREAM, width=line)
    radius = round(short * 0.22)
    centre = (round(width * 0.8), round(height * 0.5)) if width >= height else (width // 2, round(height * 0.68))
    draw.ellipse((centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius), fill=CREAM)
    draw.ellipse(
        (centre[0] - radius * 0.7, centre[1] - radius * 0.7, centre[0] + radius * 0.7, centre[1] + radius * 0.7),
        fill=color,
    )
    text_box = width * (0.6 if width >= height else 0.8)
    font_size = max(10, round(short * 0.14))
    font = ImageFont.load_default(size=font_size)
    while font_size > 10 and draw.textlength(title, font=font) > text_box:
        font_size -= 2
        font = ImageFont.load_default(size=font_size)
    top = round(height * 0.38) if width >= height else round(height * 0.2)
    draw.text((margin * 2, top), title, font=font, fill=CREAM)
    small = ImageFont.load_default(size=max(8, font_size // 2))
    draw.text((margin * 2, top + font_size * 1.4), "helloITA", font=small, fill=CREAM)
    stripe = max(4, round(short * 0.05))
    for index, flag_color in enumerate(FLAG):
        x = margin * 2 + index * stripe
        draw.rectangle((x, height - margin * 2 - stripe, x + stripe - 1, height - margin * 2), fill=flag_color)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # the upload pipeline re-encodes it anyway
    return buffer.getvalue()
