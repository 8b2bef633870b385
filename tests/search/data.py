"""A few real orders from the directory file, for tests that do not need all 46 (faster to load)."""

from professions.loading import load_directory_data, read_directory

SAMPLE_ORDERS = [
    "barreau-du-quebec",
    "ordre-des-comptables-professionnels-agrees-du-quebec",
    "ordre-des-dentistes-du-quebec",
    "ordre-des-denturologistes-du-quebec",
    "ordre-des-infirmieres-et-infirmiers-auxiliaires-du-quebec",
    "ordre-des-infirmieres-et-infirmiers-du-quebec",
    "ordre-des-ingenieurs-du-quebec",
    "ordre-des-ingenieurs-forestiers-du-quebec",
    "ordre-des-psychoeducateurs-et-psychoeducatrices-du-quebec",
    "ordre-des-psychologues-du-quebec",
    "ordre-des-sages-femmes-du-quebec",
]


def load_sample_directory(keys: list[str] = SAMPLE_ORDERS) -> None:
    """Load only the named orders (and their professions) from the real data file."""
    data = read_directory()
    data["orders"] = [order for order in data["orders"] if order["key"] in keys]
    load_directory_data(data)
