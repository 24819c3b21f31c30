"""Tests for `eventwire.evaluation.codes`: actor codes split and normalised to ISO3, and codes that must not be."""

from __future__ import annotations

import pytest

from eventwire.evaluation.codes import (
    ROLE_CODES,
    NormalisedActor,
    country_codes,
    iso3_codes,
    normalise_actor,
    unknown_countries,
)


@pytest.mark.parametrize(
    ("code", "country", "sectors", "normalised"),
    [
        ("ISRGOV", "ISR", ("GOV",), "ISRGOV"),
        ("RUSMIL", "RUS", ("MIL",), "RUSMIL"),
        ("USAGOVMIL", "USA", ("GOV", "MIL"), "USAGOVMIL"),
        ("JAPMIL", "JPN", ("MIL",), "JPNMIL"),
        ("ROMGOV", "ROU", ("GOV",), "ROUGOV"),
        ("TMP", "TLS", (), "TLS"),
        ("ZAR", "COD", (), "COD"),
        ("UAR", "EGY", (), "EGY"),
        ("UK", "GBR", (), "GBR"),
        ("UKGOV", "GBR", ("GOV",), "GBRGOV"),
        ("XKX", "XKX", (), "XKX"),
        ("YUGMIL", "YUG", ("MIL",), "YUGMIL"),
        (" pse ", "PSE", (), "PSE"),
    ],
)
def test_country_codes_normalise_to_iso3(
    code: str, country: str, sectors: tuple[str, ...], normalised: str
) -> None:
    """Country codes normalise to ISO3."""
    assert normalise_actor(code) == NormalisedActor(country, sectors, normalised, known=True)


def test_legacy_and_iso_codes_compare_equal_once_normalised() -> None:
    """Legacy and iso codes compare equal once normalised."""
    assert normalise_actor("JAPGOV").code == normalise_actor("JPNGOV").code == "JPNGOV"


@pytest.mark.parametrize(
    ("code", "sectors"),
    [
        ("IGOUNO", ("IGO", "UNO")),
        ("NGOHRI", ("NGO", "HRI")),
        ("IGOEU", ("IGO", "EU")),
        ("IMGMOSALQ", ("IMG", "MOS", "ALQ")),
    ],
)
def test_transnational_actors_have_no_country(code: str, sectors: tuple[str, ...]) -> None:
    """Transnational actors have no country."""
    assert normalise_actor(code) == NormalisedActor(None, sectors, code, known=True)


@pytest.mark.parametrize("code", ["COP", "REB", "GOVMIL", "INS"])
def test_bare_roles_have_no_country(code: str) -> None:
    """Bare roles have no country."""
    actor = normalise_actor(code)
    assert actor.country is None and actor.known and actor.sectors[0] == code[:3]


def test_regions_and_the_unknown_country_placeholder() -> None:
    """Regions and the unknown country placeholder."""
    assert normalise_actor("AFRREB") == NormalisedActor(None, ("REB",), "AFRREB", known=True, region="AFR")
    assert normalise_actor("---GOV") == NormalisedActor(None, ("GOV",), "---GOV", known=True)
    assert normalise_actor("---").known


@pytest.mark.parametrize(
    ("code", "sectors"),
    [
        ("ARN", ()),
        ("GON", ()),
        ("ARNGOV", ("GOV",)),
        ("OSGMIL", ("MIL",)),
        ("HOBCIV", ("CIV",)),
        ("JPGOV", ()),
    ],
)
def test_fictional_and_unknown_countries_do_not_normalise(code: str, sectors: tuple[str, ...]) -> None:
    """Fictional and unknown countries do not normalise."""
    actor = normalise_actor(code)
    assert not actor.known and actor.country is None and actor.code == code
    if sectors:
        assert actor.sectors == sectors


@pytest.mark.parametrize("code", ['"INJURY TOLL"', "123", "ARN;GON", "###", "US GOV"])
def test_malformed_codes_are_unknown_and_kept_whole(code: str) -> None:
    """Malformed codes are unknown and kept whole."""
    assert normalise_actor(code) == NormalisedActor(None, (), code.upper(), known=False)


def test_unknown_countries_reports_the_first_part() -> None:
    """Unknown countries reports the first part."""
    codes = ["ARNGOV", "GON", "GONMIL", "ISRGOV", "JAPMIL", "IGOUNO", "COP", "---GOV", '"INJURY TOLL"', " "]
    assert unknown_countries(codes) == {"ARN", "GON", '"INJURY TOLL"'}
    assert unknown_countries([]) == set()


def test_iso_table_has_every_alpha3_code_and_kosovo() -> None:
    """Iso table has every alpha3 code and kosovo."""
    iso = iso3_codes()
    assert len(iso) == 250
    assert {"JPN", "GBR", "PSE", "TWN", "COD", "ROU", "TLS", "SSD", "XKX"} <= iso
    assert not {"JAP", "UK", "ROM", "TMP", "ZAR", "ARN", "GON"} & iso


def test_table_rows_are_consistent() -> None:
    """Every row of the country table has a known kind, and ISO rows map to themselves."""
    table = country_codes()
    iso = iso3_codes()
    for row in table.values():
        assert row.kind in {"iso", "iso-user", "iso-former", "legacy", "region", "transnational"}, row
        if row.kind in ("region", "transnational"):
            assert row.iso3 is None and row.code not in iso, row
        elif row.kind in ("iso-former", "legacy"):
            # A successor that is not a current code is a withdrawn one for a state that split up (or the USSR).
            assert row.code not in iso and row.iso3 is not None, row
            assert row.iso3 in iso or row.iso3 in table or row.iso3 == "SUN", row
        else:
            assert row.iso3 == row.code, row
    # A role code opening a code must never be read as a country.
    assert not ROLE_CODES & set(table)
