"""Build spreadsheets for import tests the way areas' files look."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook


def xlsx(rows: list[list[object]], *, merges: tuple[str, ...] = (), title: str = "Plan") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_cached_formula_values(data: bytes, cached: dict[str, str]) -> bytes:
    """Give formula cells the value Excel would have saved with them (openpyxl saves none)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for ref, value in cached.items():
                    text = re.sub(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
                        rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{value}</v>',
                        text,
                    )
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def read_xlsx(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    return [list(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def write_rows(rows: list[list[object]]) -> bytes:
    return xlsx(rows)
