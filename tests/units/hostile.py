"""Hostile spreadsheets, generated (nothing large is committed): an XLSX is written member by
member, its sheet XML streamed, so a file that inflates to a gigabyte costs little to make."""

import io
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="واحدها" '
    'sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def text_cell(ref: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def rows_xml(rows, raw: dict[str, str] | None = None) -> str:
    """Rows of values as sheet XML; `raw` puts hand-written XML in place of some cells."""
    raw = raw or {}
    lines = []
    for number, values in enumerate(rows, 1):
        cells = []
        for position, value in enumerate(values, 1):
            ref = f"{column_letters(position)}{number}"
            cells.append(raw.get(ref) or text_cell(ref, value))
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    return "".join(lines)


def xlsx(sheet_data, *, extra_members=0, level=9) -> bytes:
    """An XLSX of one sheet «واحدها» whose <sheetData> is `sheet_data` (str, bytes, or an
    iterable of bytes chunks, streamed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for index in range(extra_members):
            archive.writestr(f"xl/media/extra{index}.xml", "<x/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
                        "<sheetData>".encode())  # fmt: skip
            chunks = [sheet_data] if isinstance(sheet_data, str | bytes) else sheet_data
            for chunk in chunks:
                sheet.write(chunk.encode() if isinstance(chunk, str) else chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def bomb(inflated_bytes: int) -> bytes:
    """A sheet of one header row and then the same row repeated until the sheet's XML is
    `inflated_bytes` long: deflate packs it about a thousandfold."""
    text = "ب" * 4000
    row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{text}</t></is></c></row>'.encode()
    block = row * max(1, (1024 * 1024) // len(row))

    def chunks():
        yield '<row r="1"><c r="A1" t="inlineStr"><is><t>نام واحد</t></is></c></row>'.encode()
        for _ in range(inflated_bytes // len(block)):
            yield block

    return xlsx(chunks())
