"""Tests for awslint.parse.dotenv: compose env-file syntax, regions, problems."""

from pathlib import Path

import pytest

from awslint.model import Document, Kind, Region
from awslint.parse.dotenv import parse


def model(text: str):
    return parse(Document(Path(".env"), ".env", Kind.DOTENV, text, text.encode()))


def entries(text: str):
    result = model(text)
    assert result.problems == []
    return result.variables


def test_plain_entry_regions():
    (var,) = entries("AWS_REGION=us-east-1\n")
    assert (var.name, var.value, var.origin) == ("AWS_REGION", "us-east-1", "dotenv")
    assert var.region == Region(1, 1, 1, 21) and var.value_region == Region(1, 12, 1, 21)


def test_export_prefix_and_spaces_around_equals():
    first, second = entries("export A=1\n  B = two words  \n")
    assert (first.name, first.value, first.region) == ("A", "1", Region(1, 1, 1, 11))
    assert (second.name, second.value) == ("B", "two words")
    assert second.region == Region(2, 3, 2, 16) and second.value_region == Region(2, 7, 2, 16)


def test_comments_and_blank_lines():
    first, second, third = entries("# comment\n\n  # indented\nA=x # inline\nB=x#kept\nC=  # only comment\n")
    assert (first.name, first.value, first.value_region) == ("A", "x", Region(4, 3, 4, 4))
    assert second.value == "x#kept"
    assert third.value == "# only comment"


def test_single_quotes_are_literal():
    (var,) = entries("S='lit $X \\n # not comment'\n")
    assert var.value == "lit $X \\n # not comment"
    assert var.region == Region(1, 1, 1, 28) and var.value_region == Region(1, 4, 1, 27)


def test_backslash_before_quote_does_not_close():
    (var,) = entries("S='it\\'s'\n")
    assert var.value == "it\\'s"


def test_double_quotes_expand_escapes_and_span_lines():
    (var, after) = entries('D="multi\nline \\"q\\" \\n"  # ok\nE=1\n')
    assert var.value == 'multi\nline "q" \n'
    assert var.region == Region(1, 1, 2, 15) and var.value_region == Region(1, 4, 2, 14)
    assert (after.name, after.value) == ("E", "1")


def test_key_alone_passes_through():
    (var,) = entries("AWS_PROFILE\n")
    assert (var.value, var.value_region, var.region) == (None, None, Region(1, 1, 1, 12))


def test_empty_value_and_yaml_style_and_crlf():
    empty, yaml_style, crlf = entries("G=\nI: yaml\r\nJ.K-1=v\r\n")
    assert (empty.value, empty.value_region) == ("", Region(1, 3, 1, 3))
    assert (yaml_style.name, yaml_style.value) == ("I", "yaml")
    assert (crlf.name, crlf.value, crlf.region) == ("J.K-1", "v", Region(3, 1, 3, 8))


def test_bad_lines_are_problems_and_parsing_goes_on():
    result = model("A=1\nnot an entry\nB$=2\nC=\"open\nD=4\n")
    assert [(p.message, p.region) for p in result.problems] == [
        ("expected VAR=VALUE", Region(2, 1, 2, 13)),
        ("unexpected character '$' in variable name 'B$'", Region(3, 1, 3, 3)),
        ("unterminated \" quote in value of 'C'", Region(4, 3, 4, 8)),
    ]
    assert [v.name for v in result.variables] == ["A", "D"]


def test_shell_script_named_env_is_not_an_env_file():
    result = model("unset AWS_SECRET_ACCESS_KEY\nexport REGION=us-east-1\n")
    assert result.problems == [] and result.variables == []


def test_text_after_closing_quote_is_a_problem():
    result = model('A="x" y\n')
    assert [p.region for p in result.problems] == [Region(1, 7, 1, 8)]
    assert result.variables[0].value == "x"


def test_byte_order_mark():
    (var,) = entries("\ufeffFOO=bar\n")
    assert var.name == "FOO" and var.region == Region(1, 1, 1, 8)


@pytest.mark.parametrize("text", ["", "\x00", "=", "'", '"', "A='", 'A="\\', "export", "A=\"\\\n", "\n\n\r\n"])
def test_bad_input_never_raises(text):
    model(text)


def test_undecodable_document():
    result = parse(Document(Path(".env"), ".env", Kind.DOTENV, None, b"\xff"))
    assert result.problems[0].message == "file is not valid UTF-8 text"
