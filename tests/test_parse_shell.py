"""Tests for awslint.parse.shell: program names and invocations from tree-sitter-bash."""

import pytest

from awslint.parse.shell import command_names, invocations, read_script


def test_simple_list_pipeline_and_subshell():
    text = "apt-get update && (cd /app; make) | tee log || echo failed"
    assert command_names(text) == ["apt-get", "cd", "make", "tee", "echo"]


def test_command_substitution_and_heredoc_body():
    text = 'export KEY="$(aws configure get aws_access_key_id)"\ncat <<EOF\n$(whoami)\nEOF\n'
    # ``export`` is a tree-sitter-bash ``declaration_command``, not a program run.
    assert command_names(text) == ["aws", "cat", "whoami"]


def test_path_is_stripped():
    assert command_names("/usr/local/bin/aws s3 ls; ./bin/tool") == ["aws", "tool"]


@pytest.mark.parametrize(
    "text",
    [
        "sudo aws s3 ls",
        "sudo -u deploy -E aws s3 ls",
        "env AWS_PROFILE=prod aws s3 ls",
        "env -u AWS_PROFILE -- aws s3 ls",
        "exec aws s3 ls",
        "nohup /usr/bin/aws s3 ls",
        "AWS_PROFILE=prod aws s3 ls",
    ],
)
def test_wrappers_and_assignments_are_unwrapped(text):
    assert command_names(text) == ["aws"]
    assert invocations(text, "aws") == [["s3", "ls"]]


def test_invocations_remove_quotes_and_keep_expansions():
    text = "aws configure set aws_access_key_id \"$KEY\" && aws configure set region 'us-east-1'\n"
    assert invocations(text, "aws") == [
        ["configure", "set", "aws_access_key_id", "$KEY"],
        ["configure", "set", "region", "us-east-1"],
    ]


def test_invocations_across_line_continuations_and_escapes():
    text = 'aws configure \\\n  set aws_secret_access_key a\\ b"c\\"d"\n'
    assert invocations(text, "aws") == [["configure", "set", "aws_secret_access_key", 'a bc"d']]


def test_sh_dash_c_script_is_read():
    text = "sh -c 'aws sts get-caller-identity | jq .Arn'"
    assert command_names(text) == ["sh", "aws", "jq"]
    assert invocations(text, "aws") == [["sts", "get-caller-identity"]]


def test_other_programs_are_not_invocations():
    assert invocations("echo aws s3 ls; awscli s3", "aws") == []


@pytest.mark.parametrize(
    "text",
    ["", "((", "if then fi", "echo 'unterminated", "$(" * 2000, "\x00\x01", "a\udcff b", "}}}{{{", "<<EOF"],
)
def test_bad_input_never_raises(text):
    assert isinstance(command_names(text), list)
    assert isinstance(invocations(text, "aws"), list)


def test_commands_around_errors_are_found():
    assert "aws" in command_names("aws s3 ls\nif ( then\n")


def test_sh_c_scripts_keep_exact_positions_through_escapes():
    for script in ('bash -c "echo \\"hello world\\" && aws s3 ls"', "bash -c $'aws s3 ls'", "sh -c 'aws s3 ls'"):
        call = next(i for i in read_script(script).invocations if i.program == "aws")
        assert script[call.words[0].start : call.words[0].end] == "aws", script
