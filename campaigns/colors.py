"""Dominant colour of a banner, as a hex value and a plain name staff can group results by ("red", "gold" ...)."""

import colorsys
import io
from dataclasses import dataclass

from django.utils.translation import pgettext_lazy
from PIL import Image

# Stored names are English keys (stable for analysis and exports); pages show them translated.
COLOR_LABELS = {
    "red": pgettext_lazy("colour", "red"),
    "orange": pgettext_lazy("colour", "orange"),
    "yellow": pgettext_lazy("colour", "yellow"),
    "green": pgettext_lazy("colour", "green"),
    "teal": pgettext_lazy("colour", "teal"),
    "blue": pgettext_lazy("colour", "blue"),
    "purple": pgettext_lazy("colour", "purple"),
    "pink": pgettext_lazy("colour", "pink"),
    "brown": pgettext_lazy("colour", "brown"),
    "gold": pgettext_lazy("colour", "gold"),
    "black": pgettext_lazy("colour", "black"),
    "white": pgettext_lazy("colour", "white"),
    "grey": pgettext_lazy("colour", "grey"),
}


@dataclass(frozen=True)
class Color:
    hex: str
    name: str


# Hue ranges in degrees for saturated colours; the neutral names are decided on lightness and saturation.
_HUES = [
    (15, "red"),
    (40, "orange"),
    (65, "yellow"),
    (165, "green"),
    (195, "teal"),
    (255, "blue"),
    (315, "purple"),
    (335, "pink"),
    (360, "red"),
]


def color_name(rgb: tuple[int, int, int]) -> str:
    r, g, b = (c / 255 for c in rgb)
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    if lightness < 0.12:
        return "black"
    if lightness > 0.92:
        return "white"
    if saturation < 0.15:
        return "grey"
    degrees = hue * 360
    # Coffee, chocolate and leather: dark warm hues read as brown, not as a dark orange.
    if 15 <= degrees < 50 and lightness < 0.4:
        return "brown"
    if 38 <= degrees < 58 and lightness < 0.6 and saturation < 0.75:
        return "gold"
    return next(name for limit, name in _HUES if degrees < limit)


def dominant_color(content: bytes) -> Color:
    """The most common colour after reducing the image to a small palette (median cut), ignoring transparency."""
    with Image.open(io.BytesIO(content)) as img:
        img = img.convert("RGBA")
        img.thumbnail((96, 96))
        background = Image.new("RGBA", img.size, (255, 255, 255, 255))
        rgb = Image.alpha_composite(background, img).convert("RGB")
    palette_image = rgb.quantize(colors=6, method=Image.Quantize.MEDIANCUT)
    palette = palette_image.getpalette()
    _count, index = max(palette_image.getcolors())
    rgb_value = tuple(palette[index * 3 : index * 3 + 3])
    return Color("#{:02x}{:02x}{:02x}".format(*rgb_value), color_name(rgb_value))
