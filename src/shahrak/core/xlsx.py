"""Looking inside an uploaded XLSX before any parser reads it.

An XLSX is a zip of XML files. A hostile one can hold a sheet that inflates a thousandfold
(a 1 MB file of 1 GiB of XML), or a sheet of two cells, A1 and XFD1048576, which a reader
turns into a grid of 17 billion cells (python-calamine aborts the whole process on it).
`inspect_xlsx` measures every member by inflating it for real, in bounded chunks (the sizes a
zip declares can lie), and scans each worksheet's XML as it streams by: where its cells are,
and which hold formulas. It keeps nothing but those findings, so looking costs a few MB
whatever the file holds; a file over a limit is refused before it is parsed.
"""

import posixpath
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from xml.parsers import expat

from django.utils.translation import gettext_lazy as _

MAX_MEMBERS = 1_000  # an ordinary workbook has about ten
MAX_INFLATED = 256 * 1024 * 1024  # all members together; 100,000 units inflate to ~105 MB
MAX_RATIO = 100  # inflated / compressed, for members over RATIO_FROM bytes (XML: 5–20)
RATIO_FROM = 1024 * 1024
CHUNK = 1024 * 1024
MAX_TAG = 64 * 1024  # bytes without a ">": no worksheet needs them

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"

# Counted over a worksheet's bytes. A match never contains ">", and the bytes are cut after a
# ">", so no match is split between two pieces. Markup with "<!" (comments, CDATA, DOCTYPE)
# is refused, so every "<c" below is a real tag, not text.
_CELL = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_CELL_WITH_REF = re.compile(rb"<(?:[\w.-]+:)?c\s(?:[^>]*?\s)?r\s*=\s*[\"']")
_ROW = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
_ROW_WITH_REF = re.compile(rb"<(?:[\w.-]+:)?row\s(?:[^>]*?\s)?r\s*=\s*[\"']")
_WIDE_REF = re.compile(rb"\sr\s*=\s*[\"']\s*([A-Za-z]{2,})")
_LONG_REF = re.compile(rb"\sr\s*=\s*[\"']\s*[A-Za-z]*\s*0*([1-9]\d{5,})")
_FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")
# The quick scan's: anything else (a namespace prefix, another way of writing r=) sends the
# bytes to the full scan above.
_UNUSUAL = re.compile(rb'<(?:[\w.-]+:|c(?=[\s/>])(?! r=")|row(?=[\s/>])(?! r="))')
_PLAIN_FORMULA_TAG = re.compile(rb"<f[\s/>]")
_PLAIN_WIDE_REF = re.compile(rb' r="([A-Za-z]{2,})')
_PLAIN_LONG_REF = re.compile(rb' r="[A-Za-z]*0*([1-9]\d{5,})')


class UnsafeSpreadsheet(ValueError):
    """The file is refused before parsing; the message (translated) says why."""


@dataclass
class Inspection:
    formulas: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # sheet → cells
    inflated: int = 0


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def inspect_xlsx(content: bytes, *, max_rows: int, max_columns: int) -> Inspection:
    """The formula cells of each sheet (0-based row, column), or UnsafeSpreadsheet."""
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnsafeSpreadsheet(_("The file is not a valid XLSX (zip) file.")) from error
    if len(members) > MAX_MEMBERS:
        raise UnsafeSpreadsheet(_("The file holds too many parts for a spreadsheet."))
    if sum(m.file_size for m in members) > MAX_INFLATED:
        raise UnsafeSpreadsheet(_("The file unpacks to more than the import accepts."))
    sheets = _sheet_parts(archive)
    inspection = Inspection()
    for member in members:
        name = sheets.get(member.filename)
        scan = _SheetScan(max_rows, max_columns) if name is not None else None
        inflated = _inflate(content, member, scan, MAX_INFLATED - inspection.inflated)
        inspection.inflated += inflated
        if scan is not None:
            scan.finish()
            if scan.maybe_formulas:
                inspection.formulas[name] = _formula_cells(archive, member)
    return inspection


def _sheet_parts(archive) -> dict[str, str]:
    """Worksheet part path → sheet name, from the workbook and its relationships."""
    try:
        workbook = ET.fromstring(_small(archive, "xl/workbook.xml"))
        rels = ET.fromstring(_small(archive, "xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError) as error:
        raise UnsafeSpreadsheet(_("The file is not a valid XLSX (zip) file.")) from error
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in rels.iter(f"{{{PACKAGE_RELATIONSHIPS}}}Relationship")
    }
    parts = {}
    for sheet in workbook.iter(f"{{{MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{RELATIONSHIPS}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[posixpath.normpath(path)] = sheet.get("name", "")
    return parts


def _small(archive, name) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > CHUNK:
        raise UnsafeSpreadsheet(_("The file unpacks to more than the import accepts."))
    with archive.open(info) as part:
        return part.read(CHUNK + 1)[:CHUNK]


def _inflate(content: bytes, member, scan, budget: int) -> int:
    """Inflate one member from its raw bytes (not trusting its declared size), stopping
    once it passes `budget` or MAX_RATIO; feed a worksheet's bytes to `scan`."""
    start = member.header_offset
    header = content[start : start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise UnsafeSpreadsheet(_("The file is not a valid XLSX (zip) file."))
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    data_start = start + 30 + name_length + extra_length
    raw = memoryview(content)[data_start : data_start + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        pieces = (bytes(raw[i : i + CHUNK]) for i in range(0, len(raw), CHUNK))
        inflater = None
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        pieces = None
    else:
        raise UnsafeSpreadsheet(_("The file is not a valid XLSX (zip) file."))
    total = 0
    limit = min(budget, max(RATIO_FROM, MAX_RATIO * max(member.compress_size, 1)))

    def take(piece: bytes):
        nonlocal total
        total += len(piece)
        if total > limit:
            raise UnsafeSpreadsheet(_("The file unpacks to more than the import accepts."))
        if scan is not None:
            scan.feed(piece)

    try:
        if inflater is None:
            for piece in pieces:
                take(piece)
            return total
        for offset in range(0, len(raw), 64 * 1024):
            data = inflater.decompress(raw[offset : offset + 64 * 1024], CHUNK)
            take(data)
            while inflater.unconsumed_tail:
                take(inflater.decompress(inflater.unconsumed_tail, CHUNK))
        take(inflater.flush())
    except zlib.error as error:
        raise UnsafeSpreadsheet(_("The file is not a valid XLSX (zip) file.")) from error
    return total


class _SheetScan:
    """Where a worksheet's cells are, from its bytes as they stream by."""

    def __init__(self, max_rows: int, max_columns: int):
        self.max_rows, self.max_columns = max_rows, max_columns
        self.rest = b""
        self.maybe_formulas = False

    def feed(self, data: bytes):
        data = self.rest + data
        cut = data.rfind(b">") + 1
        self.rest = data[cut:]
        if len(self.rest) > MAX_TAG:
            raise UnsafeSpreadsheet(_("A sheet of the file could not be read."))
        if cut:
            self._scan(data[:cut])

    def finish(self):
        if self.rest.strip():
            self._scan(self.rest)

    def _scan(self, data: bytes):
        if b"<!" in data:  # comments, CDATA, DOCTYPE: no spreadsheet program writes them
            raise UnsafeSpreadsheet(_("A sheet of the file could not be read."))
        if not self._scan_plain(data):
            self._scan_any(data)

    def _scan_plain(self, data: bytes) -> bool:
        """The quick scan, for XML as spreadsheet programs write it (no namespace prefixes,
        r="…" first in each cell and row); False when `data` needs the full scan."""
        if _UNUSUAL.search(data):
            return False
        self._check_refs(_PLAIN_WIDE_REF.findall(data), _PLAIN_LONG_REF.findall(data))
        if not self.maybe_formulas and _PLAIN_FORMULA_TAG.search(data):
            self.maybe_formulas = True
        return True

    def _scan_any(self, data: bytes):
        # Every cell and row says where it is: positions a reader would have to infer could
        # reach any size.
        if (
            _CELL.subn(b"", data)[1] != _CELL_WITH_REF.subn(b"", data)[1]
            or _ROW.subn(b"", data)[1] != _ROW_WITH_REF.subn(b"", data)[1]
        ):
            raise UnsafeSpreadsheet(_("A sheet of the file could not be read."))
        self._check_refs(_WIDE_REF.findall(data), _LONG_REF.findall(data))
        if not self.maybe_formulas and _FORMULA_TAG.search(data):
            self.maybe_formulas = True

    def _check_refs(self, wide, long):
        for letters in wide:
            if column_number(letters.decode()) > self.max_columns:
                raise UnsafeSpreadsheet(_("A sheet of the file has more columns than accepted."))
        for number in long:
            if int(number) > self.max_rows:
                raise UnsafeSpreadsheet(_("A sheet of the file has more rows than accepted."))


def _formula_cells(archive, member) -> set[tuple[int, int]]:
    """Cells holding an <f> element, found by an XML parser (any attribute order, any
    namespace prefix). Only sheets whose bytes may hold one are parsed this way."""
    found, cell = set(), [None]
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name, attributes):
        local = name.rsplit(" ", 1)[-1]
        if local == "c":
            cell[0] = attributes.get("r")
        elif local == "f" and cell[0]:
            match = re.fullmatch(r"\s*([A-Za-z]+)\s*(\d+)\s*", cell[0])
            if match:
                found.add((int(match[2]) - 1, column_number(match[1]) - 1))

    parser.StartElementHandler = start
    try:
        with archive.open(member) as part:
            while chunk := part.read(CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise UnsafeSpreadsheet(_("A sheet of the file could not be read.")) from error
    return found
