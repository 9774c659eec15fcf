"""The registry of places, kept as CSV beside the code and loaded by a data migration."""

import csv
from decimal import Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(name: str) -> list[dict]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_places(province_model, county_model) -> None:
    """Create or update every province and county from the CSV files (idempotent)."""
    provinces = {}
    for row in read_rows("provinces.csv"):
        provinces[row["code"]], _ = province_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "iso_code": row["iso_code"],
                "name_fa": row["name_fa"],
                "name_en": row["name_en"],
                "latitude": Decimal(row["latitude"]),
                "longitude": Decimal(row["longitude"]),
            },
        )
    for row in read_rows("counties.csv"):
        county_model.objects.update_or_create(
            province=provinces[row["province"]],
            code=row["code"],
            defaults={
                "name_fa": row["name_fa"],
                "name_en": row["name_en"],
                "latitude": Decimal(row["latitude"]),
                "longitude": Decimal(row["longitude"]),
            },
        )
