"""Dominant colour of a banner and the plain colour names results are grouped by. No database."""

import io

import pytest
from PIL import Image

from campaigns.colors import color_name, dominant_color
from tests.brands.test_images import encode, make_image


def rgb(hex_value: str) -> tuple[int, int, int]:
    return tuple(int(hex_value[i : i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize(
    ("hex_value", "name"),
    [
        ("#c8102e", "red"),  # Italian flag red
        ("#ff0000", "red"),
        ("#00843d", "green"),  # Italian flag green
        ("#009246", "green"),
        ("#d4af37", "gold"),  # metallic gold
        ("#c5a253", "gold"),
        ("#ffffff", "white"),
        ("#f8f8f4", "white"),  # off-white paper
        ("#000000", "black"),
        ("#141414", "black"),
        ("#808080", "grey"),
        ("#c0c0c0", "grey"),
        ("#964b00", "brown"),
        ("#7b3f00", "brown"),  # chocolate
        ("#0033a0", "blue"),
        ("#ff8c00", "orange"),
        ("#ffd700", "yellow"),  # bright yellow is not gold
        ("#ff69b4", "pink"),
        ("#6a0dad", "purple"),
        ("#008080", "teal"),
    ],
)
def test_color_name_of_typical_colours(hex_value, name):
    assert color_name(rgb(hex_value)) == name


@pytest.mark.parametrize(
    "hex_value",
    ["#6f4e37", "#8b4513", "#5c4033", "#4b3621"],
    ids=["coffee", "saddle-brown", "dark-brown", "cafe-noir"],
)
def test_dark_warm_colours_of_coffee_and_leather_are_brown(hex_value):
    assert color_name(rgb(hex_value)) == "brown"


def split_image(left_color, right_color, left_share: float, size=(200, 100), mode="RGB") -> Image.Image:
    img = Image.new(mode, size, right_color)
    img.paste(left_color, (0, 0, round(size[0] * left_share), size[1]))
    return img


def test_dominant_color_of_a_solid_image_is_that_colour():
    color = dominant_color(make_image("PNG", size=(300, 120), color=(200, 16, 46)))

    assert (color.hex, color.name) == ("#c8102e", "red")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_dominant_color_is_the_colour_covering_most_of_the_image(fmt):
    content = encode(split_image((0, 51, 160), (255, 255, 255), 0.7), fmt)

    assert dominant_color(content).name == "blue"
    content = encode(split_image((0, 51, 160), (255, 255, 255), 0.3), fmt)
    assert dominant_color(content).name == "white"


def test_dominant_color_of_a_large_banner_is_found_on_a_reduced_copy():
    content = encode(split_image((0, 132, 61), (212, 175, 55), 0.6, size=(1920, 540)), "PNG")

    assert dominant_color(content) == dominant_color(encode(split_image((0, 132, 61), (212, 175, 55), 0.6), "PNG"))
    assert dominant_color(content).hex == "#00843d"


def test_transparent_regions_count_as_white():
    # 70% fully transparent black pixels, 30% opaque blue: the banner shows white where it is transparent.
    content = encode(split_image((0, 51, 160, 255), (0, 0, 0, 0), 0.3, mode="RGBA"), "PNG")

    color = dominant_color(content)

    assert (color.hex, color.name) == ("#ffffff", "white")


def test_fully_transparent_image_is_white_not_black():
    assert dominant_color(make_image("PNG", mode="RGBA", color=(0, 0, 0, 0))).name == "white"


def test_transparency_of_a_palette_png_counts_as_white():
    img = split_image((0, 51, 160, 255), (0, 0, 0, 0), 0.3, mode="RGBA").quantize(colors=4)
    buffer = io.BytesIO()
    img.save(buffer, "PNG", transparency=img.getpixel((199, 0)))

    assert dominant_color(buffer.getvalue()).name == "white"
