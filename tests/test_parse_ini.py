"""Tests for awslint.parse.ini against botocore: the reference vectors, botocore run on
handcrafted and generated files, and exact positions."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from botocore import configloader
from botocore.exceptions import ConfigParseError

from awslint.model import Document, Kind, Region
from awslint.parse.ini import parse

# A copy of ../shared/reference/aws-shared-config-cases.json: 215 inputs run through botocore.
VECTORS = Path(__file__).resolve().parent / "data" / "aws-shared-config-cases.json"
CASES = json.loads(VECTORS.read_text(encoding="utf-8"))


def _document(raw: bytes, kind: Kind) -> Document:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    return Document(Path("f"), "f", kind, text, raw)


def _parse_text(text: str, kind: Kind = Kind.AWS_CONFIG):
    return parse(_document(text.encode("utf-8"), kind))


# --- the reference vectors -----------------------------------------------------------------


def _file_bytes(case: dict, variable: str, name: str) -> bytes | None:
    """The bytes botocore read for ``name`` (config/credentials), following the case's env."""
    path = case["env"].get(variable, "{DIR}/" + name)
    for var, value in case["env"].items():
        path = path.replace("$" + var, value)
    if path.startswith("~/"):
        text = (case.get("setup") or {}).get("home/" + path[2:])
    elif path == "{DIR}/" + name:
        text = case[name]
    else:
        text = None
    encoding = case.get("config_encoding", "utf-8") if name == "config" else "utf-8"
    return None if text is None else text.encode(encoding)


def _failed_file(case: dict) -> str | None:
    """Which file botocore could not parse (``profiles`` stage), from its error message."""
    if case["botocore_extra"].get("error_stage") != "profiles":
        return None
    return case["botocore_result"]["error"].rsplit("/", 1)[1]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_reference_vector(case):
    config = _file_bytes(case, "AWS_CONFIG_FILE", "config")
    credentials = _file_bytes(case, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
    config_model = parse(_document(config, Kind.AWS_CONFIG)) if config is not None else None
    cred_model = parse(_document(credentials, Kind.AWS_CREDENTIALS)) if credentials is not None else None
    failed = _failed_file(case)
    # botocore reads the config file first; a broken config file stops it before credentials.
    assert bool(config_model and config_model.problems) == (failed == "config")
    if failed == "config":
        return
    assert bool(cred_model and cred_model.problems) == (failed == "credentials")
    if failed:
        return
    sections = [s for m in (config_model, cred_model) if m for s in m.sections]
    profiles = {s.profile for s in sections if s.profile is not None}
    assert profiles == set(case["botocore_result"]["profiles"])


def test_vectors_cover_every_failure_kind():
    failing = {c["name"] for c in CASES if _failed_file(c)}
    expected = {"duplicate_section_in_config", "key_without_delimiter", "utf16_config", "utf8_bom_config"}
    assert expected <= failing


# --- botocore itself as the oracle -----------------------------------------------------------


def _botocore(tmp_path: Path, raw: bytes):
    """``raw_config_parse`` of ``raw``, or ``None`` when botocore raises ``ConfigParseError``."""
    path = tmp_path / "file"
    path.write_bytes(raw)
    try:
        return configloader.raw_config_parse(str(path))
    except ConfigParseError:
        return None


def _nested(value: str):
    pairs = (line.strip().split("=", 1) for line in value.splitlines() if line.strip())
    return {key.strip(): val.strip() for key, val in pairs}


def _like_botocore(model) -> dict:
    """Rebuild ``raw_config_parse``'s dict from the model: ``[DEFAULT]`` keys inherited by every
    other section, later duplicate keys win, nested blocks split."""
    defaults = {st.key: st.value for s in model.sections if s.header == "DEFAULT" for st in s.settings}
    result: dict[str, dict] = {}
    for section in model.sections:
        if section.header != "DEFAULT":
            options = result.setdefault(section.header, dict(defaults))
            options.update({st.key: st.value for st in section.settings})
    return {
        name: {k: _nested(v) if v.startswith("\n") else v for k, v in options.items()}
        for name, options in result.items()
    }


HANDCRAFTED = {
    "inline_comment_kept": "[default]\nregion = us-west-2 # note\noutput: json ; x\n",
    "colon_first_delimiter": "[default]\nrole_arn arn:aws:iam::1:role/R\na = b:c\nd: e=f\n",
    "continuation_after_blank_and_comment": "[default]\nregion = a\n\n# c\n  b\n\n\nx = y\n",
    "indented_first_key_then_deeper": "[default]\n  a = 1\n    b = 2\n  c = 3\n",
    "indented_header_after_key": "[default]\nregion = a\n  [profile x]\nb = c\n",
    "indented_header_after_header": "[default]\n  [profile x]\nb = c\n",
    "header_trailing_text": "[profile dev]] # x\na = 1\n[default]x\n",
    "crlf_and_cr": "[default]\r\nregion = a\r  b\r\n[profile x]\rk = v",
    "default_section_twice": "[DEFAULT]\na = 1\n[profile x]\nb = 2\n[DEFAULT]\nc = 3\n",
    "default_section_duplicate_key": "[DEFAULT]\na = 1\n[DEFAULT]\na = 2\n",
    "default_nested_bad_no_other_section": "[DEFAULT]\ns3 =\n  bad\n",
    "default_nested_bad_with_section": "[DEFAULT]\ns3 =\n  bad\n[default]\n",
    "default_nested_bad_overridden": "[DEFAULT]\ns3 =\n  bad\n[default]\ns3 = x\n",
    "nested_blank_then_block": "[default]\ns3 =\n\n  a = b\n  # c\n\n  C = d\n",
    "nested_colon_line": "[default]\ns3 =\n  a: b\n",
    "error_line_keeps_option_open": "[default]\nregion = a\njunk\n  more\n",
    "empty_key_then_indented": "[default]\n= v\n  w = x\n",
    "empty_section_header": "[]\n[default]\n",
    "unclosed_header": "[default\na = b\n",
    "bom": "\ufeff[default]\na = b\n",
    "profile_variants": (
        "[profile  a ]\n[profile\tb]\n[ profile c]\n[profileg h]\n[profile 'x y']\n"
        "[profile d e]\n[profile]\n[profile \"q]\n"
    ),
    "section_names": "[Default]\n[default ]\n[profile default]\n[sso-session s]\n[services t]\n[plugins]\n",
    "unicode_whitespace": "[default]\na = b\n\u00a0 c\n\u2003[x]\n",
    "key_with_spaces_and_tabs": "[default]\n\tA  B \t=\t v \n",
    "percent": "[default]\na = 100%s%(x)s\n",
}


@pytest.mark.parametrize("kind", [Kind.AWS_CONFIG, Kind.AWS_CREDENTIALS])
@pytest.mark.parametrize("text", HANDCRAFTED.values(), ids=HANDCRAFTED.keys())
def test_agrees_with_botocore(tmp_path, text, kind):
    raw = text.encode("utf-8")
    expected = _botocore(tmp_path, raw)
    model = parse(_document(raw, kind))
    assert (expected is None) == bool(model.problems), [p.message for p in model.problems]
    if expected is None:
        return
    assert _like_botocore(model) == expected
    if kind is Kind.AWS_CONFIG:
        profiles = {s.profile for s in model.sections if s.profile is not None}
        assert profiles == set(configloader.build_profile_map(expected)["profiles"])


FRAGMENTS = [
    "[default]", "[profile a]", "[DEFAULT]", "  [x]", "region = us-east-1", "Region=x", "k: v",
    "  indented = 1", "\tcont", "  : odd", "", "   ", "# c", "  ; c", "s3 =", "  addressing_style = path",
    "role_arn arn:aws:x", "a = b # c", "    deeper = 2", "\x0c", "a = b\x0bc",
]
BROKEN = ["[]", "[a", "= v", ": v", "junk", "  bad line", "  a: b", "\ufeffq = 1"]


def _generated(seed: int) -> str:
    """A random file: mostly well-formed lines, sometimes one botocore rejects."""
    rng = random.Random(seed)
    pool = FRAGMENTS * 6 + BROKEN
    first = rng.choice(["[default]", "[DEFAULT]", "x = 1"])
    lines = [first] + [rng.choice(pool) for _ in range(rng.randint(0, 10))]
    return rng.choice(["\n", "\r\n", "\r"]).join(lines) + rng.choice(["", "\n"])


@pytest.mark.parametrize("seed", range(400))
def test_generated_files_agree_with_botocore(tmp_path, seed):
    text = _generated(seed)
    expected = _botocore(tmp_path, text.encode("utf-8"))
    model = _parse_text(text)
    assert (expected is None) == bool(model.problems), (text, [p.message for p in model.problems])
    if expected is not None:
        assert _like_botocore(model) == expected, text


def test_load_config_profiles_match(tmp_path):
    text = '[default]\n[profile "my dev"]\n[sso-session s]\n[profile a b]\n[dev]\n[profile default]\n'
    path = tmp_path / "config"
    path.write_text(text)
    expected = configloader.load_config(str(path))["profiles"]
    assert {s.profile for s in _parse_text(text).sections if s.profile} == set(expected)


# --- positions and messages ------------------------------------------------------------------


def test_header_and_setting_positions():
    model = _parse_text("# c\n  [profile dev] # x\n\tRegion =  us-west-2  \ns3 =\n  a = b\n\n")
    section = model.sections[0]
    assert (section.header, section.profile) == ("profile dev", "dev")
    assert section.region == Region(2, 3, 2, 20)
    assert section.header_region == Region(2, 4, 2, 15)
    region, s3 = section.settings
    assert (region.key, region.raw_key, region.value) == ("region", "Region", "us-west-2")
    assert region.key_region == Region(3, 2, 3, 8)
    assert region.value_region == Region(3, 12, 3, 21)
    assert region.region == Region(3, 2, 3, 21)
    assert s3.value == "\na = b"
    assert s3.region == Region(4, 1, 5, 8)


def test_several_problems_in_one_pass():
    text = "x = 1\n[default]\nregion = a\nREGION = b\njunk\n= v\n[default]\ns3 =\n  oops\n"
    problems = _parse_text(text).problems
    regions = [p.region for p in problems]
    assert regions == [
        Region(1, 1, 1, 6),  # before any header
        Region(4, 1, 4, 7),  # duplicate key, case-insensitive
        Region(5, 1, 5, 5),  # no delimiter
        Region(6, 1, 6, 2),  # empty key: the '='
        Region(7, 2, 7, 9),  # duplicate section: the name
        Region(9, 3, 9, 7),  # nested line without '='
    ]
    assert "duplicate key 'region' in section 'default' (first at line 3)" in problems[1].message
    assert "duplicate section 'default' (first at line 2)" in problems[4].message
    assert all('botocore fails with "Unable to parse config file"' in p.message for p in problems)


def test_bom_reported_once_then_parsed():
    model = parse(_document(b"\xef\xbb\xbf[default]\na = b\n", Kind.AWS_CREDENTIALS))
    assert [p.region for p in model.problems] == [Region(1, 1, 1, 2)]
    assert "byte-order mark" in model.problems[0].message
    assert model.sections[0].header_region == Region(1, 3, 1, 10)


def test_utf16_is_one_problem():
    model = parse(_document("[default]\n".encode("utf-16"), Kind.AWS_CONFIG))
    assert len(model.problems) == 1 and "UTF-16" in model.problems[0].message
    assert model.sections == []


def test_invalid_utf8_position():
    model = parse(_document("[default]\nname = caf".encode() + b"\xe9\n", Kind.AWS_CONFIG))
    assert [p.region for p in model.problems] == [Region(2, 11, 2, 12)]
    assert "0xE9" in model.problems[0].message


def test_columns_count_code_points():
    model = _parse_text("[default]\nnote = \u00e9\u00e9 x\nk\u00e9y\n")
    assert model.sections[0].settings[0].value_region == Region(2, 8, 2, 12)
    assert model.problems[0].region == Region(3, 1, 3, 4)


def test_messages_do_not_quote_secrets():
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    text = f"aws_secret_access_key = {secret}\n[default]\n{secret}\ns3 =\n  {secret}\n"
    problems = _parse_text(text).problems
    assert [p.region.start_line for p in problems] == [1, 3, 5]
    assert not any(secret in p.message for p in problems)


def test_credentials_headers_are_verbatim():
    model = _parse_text("[profile dev]\n[default ]\n[DEFAULT]\n", Kind.AWS_CREDENTIALS)
    assert [s.profile for s in model.sections] == ["profile dev", "default ", None]
