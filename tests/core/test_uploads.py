import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shahrak.core.uploads import OLE2, validate_upload


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


def test_accepts_a_real_xlsx_and_csv():
    assert validate_upload(SimpleUploadedFile("units.xlsx", xlsx_bytes()), kinds={"xlsx"}) == "xlsx"
    csv = SimpleUploadedFile("units.csv", "نام,شناسه\n".encode())
    assert validate_upload(csv, kinds={"csv", "xlsx"}) == "csv"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("units.xlsx", OLE2 + b"\x00" * 100, "file_is_xls"),
        ("units.xlsx", b"not a zip", "file_content"),
        ("units.exe", b"MZ", "file_type"),
        ("units.csv", b"a\x00b", "file_content"),
        ("big.xlsx", b"PK\x03\x04" + b"0" * 2000, "file_too_large"),
    ],
)
def test_refuses_bad_files(name, content, code):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content), kinds={"xlsx", "csv"}, max_bytes=1000)
    assert error.value.code == code
