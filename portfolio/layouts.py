"""The A4 label sheets a teacher can buy in a shop, with their exact geometry.

Sizes, margins and gaps are the manufacturers' published specifications (Avery and Avery
Zweckform part numbers; the same sizes are sold under other brands and as unbranded decal
sheets, which is why each layout is named by its grid and size first). Every number is in
millimetres, measured from the top-left corner of a portrait A4 sheet (210 × 297 mm).

A test checks that each layout fits its sheet and that the label sheet puts every label exactly
where these numbers say.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

A4_WIDTH_MM = 210.0
A4_HEIGHT_MM = 297.0


@dataclass(frozen=True)
class Layout:
    key: str
    columns: int
    rows: int
    width: float  # one label, mm
    height: float
    top: float  # margin above the first row, mm
    left: float  # margin left of the first column, mm
    gap_x: float = 0.0  # between two columns, mm
    gap_y: float = 0.0  # between two rows, mm
    products: str = ""  # the part numbers this geometry is sold under

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def pitch_x(self) -> float:
        return self.width + self.gap_x

    @property
    def pitch_y(self) -> float:
        return self.height + self.gap_y

    @property
    def right(self) -> float:
        return A4_WIDTH_MM - self.left - self.columns * self.width - (self.columns - 1) * self.gap_x

    @property
    def bottom(self) -> float:
        return A4_HEIGHT_MM - self.top - self.rows * self.height - (self.rows - 1) * self.gap_y

    def position(self, index: int) -> tuple[float, float]:
        """The top-left corner (x, y from the sheet's top-left, mm) of label `index` on its sheet,
        filled row by row as the labels are peeled off."""
        row, column = divmod(index % self.per_sheet, self.columns)
        return self.left + column * self.pitch_x, self.top + row * self.pitch_y

    @property
    def label(self) -> str:
        return _("%(columns)s × %(rows)s labels of %(width)s × %(height)s mm (%(products)s)") % {
            "columns": self.columns,
            "rows": self.rows,
            "width": _mm(self.width),
            "height": _mm(self.height),
            "products": self.products,
        }


def _mm(value: float) -> str:
    return f"{value:g}"


LAYOUTS: dict[str, Layout] = {
    layout.key: layout
    for layout in [
        # Edge to edge, 21 per sheet: the usual "3 × 7" decal sheet.
        Layout("70x42.3", 3, 7, 70.0, 42.3, top=0.45, left=0.0, products="Avery Zweckform 3652"),
        # Rounded labels with margins, 21 per sheet.
        Layout("63.5x38.1", 3, 7, 63.5, 38.1, top=15.15, left=7.21, gap_x=2.54, products="Avery L7160, J8160"),
        Layout("70x37", 3, 8, 70.0, 37.0, top=0.5, left=0.0, products="Avery Zweckform 3474"),
        Layout("63.5x33.9", 3, 8, 63.5, 33.9, top=12.9, left=7.21, gap_x=2.54, products="Avery L7159, J8159"),
        Layout("99.1x38.1", 2, 7, 99.1, 38.1, top=15.15, left=4.65, gap_x=2.5, products="Avery L7163, J8163"),
        Layout("99.1x33.9", 2, 8, 99.1, 33.9, top=12.9, left=4.65, gap_x=2.5, products="Avery L7162, J8162"),
        Layout("48.5x25.4", 4, 10, 48.5, 25.4, top=21.5, left=8.0, products="Avery Zweckform 3657"),
        Layout("99.1x67.7", 2, 4, 99.1, 67.7, top=13.1, left=4.65, gap_x=2.5, products="Avery L7165, J8165"),
        Layout("105x74", 2, 4, 105.0, 74.0, top=0.5, left=0.0, products="Avery Zweckform 3427"),
        Layout("210x297", 1, 1, 210.0, 297.0, top=0.0, left=0.0, products="Avery Zweckform 3478"),
    ]
}
DEFAULT_LAYOUT = "70x42.3"


def layout_get(key: str) -> Layout | None:
    return LAYOUTS.get(key)


def layout_choices() -> list[tuple[str, str]]:
    return [(layout.key, layout.label) for layout in LAYOUTS.values()]
