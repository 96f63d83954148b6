"""Personal data in one place: validation, normalisation, keyed lookup hashes and masking.

ID and mobile numbers are stored encrypted (``encrypted_fields``) beside an HMAC-SHA256 column that allows
exact lookup and duplicate detection without decrypting. Masking is the only way they leave the server,
unless a permitted user unmasks one person by an explicit action (``people.services.person_unmask``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class IdNumberFacts:
    number: str
    birth_date: dt.date
    gender: str  # "male" | "female"


def normalize_id_number(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def parse_id_number(value: str) -> IdNumberFacts:
    """Validate an 18-digit resident ID number (GB 11643) and return what it encodes."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(_("An ID number has 18 characters."), code="id_number_length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("The ID number is not well formed."), code="id_number_format")
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(_("The ID number's check digit is wrong."), code="id_number_checksum")
    try:
        ric.get_birth_date(number)
    except InvalidComponent as exc:
        raise ValidationError(
            _("The ID number contains an impossible birth date."), code="id_number_birth_date"
        ) from exc
    # python-stdnum's area table misses many counties (all of 玉林市, 4509xx), so only the province is checked.
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(_("The ID number's area code is unknown."), code="id_number_area")
    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return IdNumberFacts(number=number, birth_date=ric.get_birth_date(number), gender=gender)


def validate_id_number(value: str) -> None:
    parse_id_number(value)


def id_number_check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits (used by the demo generator)."""
    return str(ric.calc_check_digit(first17 + "0"))


def normalize_mobile(value: str) -> str:
    """Return the 11-digit national form of a mainland Chinese mobile number, or raise ValidationError."""
    raw = value.strip().replace(" ", "").replace("-", "")
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid mobile number."), code="mobile_format") from exc
    national = str(parsed.national_number)
    if (
        parsed.country_code != 86
        or len(national) != 11
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed)
        not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    ):
        raise ValidationError(_("Enter a valid mainland China mobile number (11 digits)."), code="mobile_invalid")
    return national


def validate_mobile(value: str) -> None:
    normalize_mobile(value)


def lookup_hash(value: str) -> str:
    """Keyed hash of an already-normalised value, for exact lookup and uniqueness."""
    key = settings.PERSONAL_DATA_KEYS[0].encode()
    return hmac.new(key, b"lookup:" + value.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_mobile(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_address(value: str | None) -> str:
    """Keep the first half (the district/street part), hide the rest: 玉州区名山街道东岳社区3栋301 → 玉州区名山街道****."""
    if not value:
        return ""
    keep = max(len(value) // 2, 2)
    return f"{value[:keep]}****"


def mask_name(value: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: for public pages."""
    return value[:1] + "*" * max(len(value) - 1, 1) if value else ""
