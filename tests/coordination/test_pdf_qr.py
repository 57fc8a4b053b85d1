"""The QR images of coordination.lib.pdf: one encoding gives the same SVG and PNG as the separate helpers."""

import pytest

from coordination.lib.pdf import qr_png, qr_svg, qr_svg_and_png

ADDRESS = "https://truong-sao-mai.example.vn/w/" + "Ab3_-" * 8 + "xyz"


@pytest.mark.parametrize("box_size", [4, 10])
def test_one_encoding_gives_the_same_svg_and_png(box_size):
    svg, png = qr_svg_and_png(ADDRESS, box_size=box_size)

    assert svg == qr_svg(ADDRESS)
    assert png == qr_png(ADDRESS, box_size=box_size)
    assert png.startswith(b"\x89PNG") and b"<svg" in svg


def test_another_address_gives_another_code():
    assert qr_svg_and_png(ADDRESS) != qr_svg_and_png(ADDRESS.replace("xyz", "xyw"))
