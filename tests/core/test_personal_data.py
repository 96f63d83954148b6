import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from grassroots.core.personal_data import (
    id_number_check_digit,
    lookup_hash,
    mask_id_number,
    mask_mobile,
    normalize_mobile,
    parse_id_number,
)


def valid_id(first17: str) -> str:
    return first17 + id_number_check_digit(first17)


def test_valid_id_number_gives_birth_date_and_gender() -> None:
    facts = parse_id_number(valid_id("45090219800517001"))
    assert facts.birth_date == dt.date(1980, 5, 17)
    assert facts.gender == "male"
    assert parse_id_number(valid_id("45090219800517002")).gender == "female"


def test_lower_case_x_check_digit_is_normalised() -> None:
    # find a 17-digit prefix whose check character is X
    for order in range(1000):
        first17 = f"45090219900101{order:03d}"
        if id_number_check_digit(first17) == "X":
            break
    assert parse_id_number(first17 + "x").number == first17 + "X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("45090219800517001", "id_number_length"),
        ("4509021980051700199", "id_number_length"),
        ("4509021980O517001X", "id_number_format"),
        ("990902" + "19800517001" + "0", "id_number_checksum"),
    ],
)
def test_malformed_id_numbers_are_rejected(number: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_id_number(number)
    assert info.value.code == code or info.value.code in {"id_number_checksum", "id_number_area"}


def test_wrong_check_digit_is_rejected_with_its_own_message() -> None:
    good = valid_id("45090219800517001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as info:
        parse_id_number(bad)
    assert info.value.code == "id_number_checksum"


def test_impossible_birth_date_is_rejected() -> None:
    with pytest.raises(ValidationError) as info:
        parse_id_number(valid_id("45090219800230001"))  # 30 February
    assert info.value.code == "id_number_birth_date"


def test_unknown_province_is_rejected() -> None:
    with pytest.raises(ValidationError) as info:
        parse_id_number(valid_id("99090219800517001"))
    assert info.value.code == "id_number_area"


@pytest.mark.parametrize("raw", ["13812345678", "+86 138 1234 5678", "138-1234-5678", "008613812345678"])
def test_mobile_numbers_normalise_to_eleven_digits(raw: str) -> None:
    assert normalize_mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["1381234567", "23812345678", "0775-2812345", "abc", "12012345678", "+1 415 555 0100"])
def test_invalid_mobile_numbers_are_rejected(raw: str) -> None:
    with pytest.raises(ValidationError):
        normalize_mobile(raw)


def test_masks_match_the_house_format() -> None:
    assert mask_id_number("450902198005171234") == "450902********1234"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_id_number("") == "" and mask_mobile(None) == ""


@given(st.from_regex(r"\A[1-9]\d{16}[\dX]\Z"))
def test_masked_id_never_reveals_the_middle(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked[6:14] == "*" * 8
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:]


@given(st.from_regex(r"\A1[3-9]\d{9}\Z"))
def test_masked_mobile_hides_four_digits(number: str) -> None:
    masked = mask_mobile(number)
    assert masked == number[:3] + "****" + number[-4:]


def test_lookup_hash_is_keyed_and_stable() -> None:
    assert lookup_hash("13812345678") == lookup_hash("13812345678")
    assert lookup_hash("13812345678") != lookup_hash("13812345679")
    import hashlib

    assert lookup_hash("13812345678") != hashlib.sha256(b"13812345678").hexdigest()
