"""Tests for awslint.parse.dockerfile: stages, ENV/ARG, RUN, COPY/ADD, heredocs, regions."""

from pathlib import Path

import pytest

from awslint.model import Document, Kind, Region
from awslint.parse.dockerfile import parse


def model(text: str):
    return parse(Document(Path("Dockerfile"), "Dockerfile", Kind.DOCKERFILE, text, text.encode()))


def stage(text: str, index: int = 0):
    result = model(text)
    assert result.problems == []
    return result.workloads[index]


def test_stages_names_images_and_regions():
    result = model("FROM alpine:3 AS build\nRUN true\nFROM --platform=linux/amd64 build\n")
    first, second = result.workloads
    assert (first.type, first.name, first.region) == ("stage", "build", Region(1, 1, 1, 23))
    assert first.image.text == "alpine:3" and first.image.region == Region(1, 6, 1, 14)
    assert second.name == "1" and second.image.text == "build"
    assert second.image.region == Region(3, 29, 3, 34)


def test_args_before_from_are_file_variables():
    result = model("ARG BASE=alpine\nARG TAG\nFROM $BASE\n")
    base, tag = result.variables
    assert (base.name, base.value, base.origin) == ("BASE", "alpine", "build-arg")
    assert base.region == Region(1, 5, 1, 16) and base.value_region == Region(1, 10, 1, 16)
    assert (tag.name, tag.value, tag.value_region) == ("TAG", None, None)
    assert result.workloads[0].image.text == "$BASE"


def test_env_key_value_form_removes_quotes():
    env = stage('FROM a\nENV A=1 B="x y" \\\n    C=\'lit $X\' D=\n').env
    assert [(e.name, e.value, e.origin) for e in env] == [
        ("A", "1", "env"), ("B", "x y", "env"), ("C", "lit $X", "env"), ("D", "", "env")]
    assert env[1].region == Region(2, 9, 2, 16) and env[1].value_region == Region(2, 12, 2, 15)
    assert env[2].region == Region(3, 5, 3, 15) and env[2].value_region == Region(3, 8, 3, 14)
    assert env[3].value_region == Region(3, 18, 3, 18)


def test_env_legacy_form_takes_rest_of_line():
    (env,) = stage("FROM a\nENV AWS_REGION  us-east-1 x  \n").env
    assert (env.name, env.value) == ("AWS_REGION", "us-east-1 x")
    assert env.region == Region(2, 5, 2, 28) and env.value_region == Region(2, 17, 2, 28)


def test_env_escapes_and_escape_directive():
    env = stage('# escape=`\nFROM a\nENV P=C:\\dir Q="a`"b" `\n  R=1\n').env
    assert [(e.name, e.value) for e in env] == [("P", "C:\\dir"), ("Q", 'a"b'), ("R", "1")]
    assert env[2].region == Region(4, 3, 4, 6)


def test_arg_in_stage_goes_to_stage_env():
    env = stage("FROM a\nARG K=v N\n").env
    assert [(e.name, e.value, e.origin) for e in env] == [("K", "v", "build-arg"), ("N", None, "build-arg")]


def test_env_problems():
    secret = "q8Jf3kLm9PzR2vX7tYb1Nc4Hd6Ws0Ue5Ga8iKoQ2"
    result = model(f"FROM a\nENV A=1 {secret}\nENV ONLY\n")
    assert "cannot find `=` in this word" in result.problems[0].message
    assert secret[:6] not in result.problems[0].message
    assert result.problems[1].message == "ENV must have two arguments"
    assert result.problems[0].region == Region(2, 9, 2, 49)


def test_user_is_last_user_of_stage():
    user = stage("FROM a\nUSER root\nUSER app:app\n").user
    assert user.text == "app:app" and user.region == Region(3, 6, 3, 13)


def test_run_shell_form_joins_continuations_and_skips_comments():
    (command,) = stage("FROM a\nRUN aws s3 ls && \\\n  # note\n\n    echo done\n").commands
    assert command.text == "aws s3 ls &&     echo done"
    assert command.region == Region(2, 5, 5, 14) and not command.exec_form


def test_run_exec_form_cmd_and_entrypoint():
    commands = stage('FROM a\nRUN ["aws", "sts", "get-caller-identity"]\nCMD ["run"]\nENTRYPOINT echo hi\n').commands
    assert [(c.text, c.exec_form) for c in commands] == [
        ("aws sts get-caller-identity", True), ("run", True), ("echo hi", False)]
    assert commands[0].region == Region(2, 5, 2, 42)
    assert commands[2].region == Region(4, 12, 4, 19)


def test_run_mounts():
    result = stage(
        "FROM a\nRUN --mount=type=secret,id=aws \\\n    --mount=type=bind,source=.aws,target=/root/.aws aws s3 ls\n"
    )
    secret, bind = result.mounts
    assert (secret.type, secret.source, secret.target) == ("secret", "aws", "/run/secrets/aws")
    assert secret.region == Region(2, 5, 2, 31)
    assert (bind.type, bind.source, bind.target) == ("bind", ".aws", "/root/.aws")
    assert result.commands[0].text == "aws s3 ls" and result.commands[0].region == Region(3, 53, 3, 62)


def test_run_heredoc_body_is_the_script_and_not_instructions():
    result = model("FROM a\nRUN <<EOF\nFROM bogus\naws configure set aws_access_key_id AKIA\nEOF\nUSER app\n")
    assert result.problems == [] and len(result.workloads) == 1
    (command,) = result.workloads[0].commands
    assert command.text == "FROM bogus\naws configure set aws_access_key_id AKIA\n"
    assert command.region == Region(3, 1, 4, 41)
    assert result.workloads[0].user.text == "app"


def test_run_heredoc_with_command_keeps_shell_text():
    (command,) = stage("FROM a\nRUN python3 <<-'PY' > out\n\tprint(1)\n\tPY\nUSER x\n").commands
    assert command.text == "python3 <<-'PY' > out\nprint(1)\nPY\n"
    assert command.region == Region(2, 5, 4, 4)


def test_two_heredocs_and_unterminated_heredoc():
    (command,) = stage("FROM a\nRUN <<A <<B\none\nA\ntwo\nB\n").commands
    assert command.text == "one\ntwo\n"
    result = model("FROM a\nRUN <<EOF\nFROM b\n")
    assert [p.message for p in result.problems] == ["unterminated here-document: no line 'EOF'"]
    assert len(result.workloads) == 1


def test_copy_and_add_sources_destination_and_flags():
    copies = stage('FROM a\nCOPY --from=build --chown=1:1 --link a.txt "b c" /dst/\nADD ["x y", "/z"]\n').copies
    copy, add = copies
    assert copy.instruction == "COPY" and copy.from_stage == "build"
    assert [(s.text, s.region) for s in copy.sources] == [
        ("a.txt", Region(2, 38, 2, 43)), ("b c", Region(2, 44, 2, 49))]
    assert copy.destination.text == "/dst/" and copy.destination.region == Region(2, 50, 2, 55)
    assert copy.region == Region(2, 1, 2, 55)
    assert add.instruction == "ADD" and add.from_stage is None
    assert add.sources[0].text == "x y" and add.sources[0].region == Region(3, 7, 3, 10)
    assert add.destination.region == Region(3, 14, 3, 16)


def test_copy_heredoc_body_skipped():
    result = model("FROM a\nCOPY <<EOF /etc/x\nRUN not a run\nEOF\n")
    (copy,) = result.workloads[0].copies
    assert copy.sources[0].text == "<<EOF" and copy.destination.text == "/etc/x"
    assert result.workloads[0].commands == [] and result.problems == []


def test_crlf_and_byte_order_mark():
    env = stage("\ufeffFROM a\r\nENV A=1\r\n").env
    assert env[0].value == "1" and env[0].region == Region(2, 5, 2, 8)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no FROM instruction: nothing to build"),
        ("# only a comment\n", "no FROM instruction: nothing to build"),
        ("RUN echo\nFROM a\n", "RUN before the first FROM: Docker has no build stage to run it in"),
        ("FROM a\nBOGUS x\n", "unknown instruction: BOGUS"),
        ("FROM a\nCOPY onlyone\n", "COPY requires at least two arguments"),
        ("FROM\n", "FROM requires an image"),
    ],
)
def test_problems(text, message):
    assert message in [p.message for p in model(text).problems]


@pytest.mark.parametrize(
    "text",
    ["\x00\x01\x02", "FROM a\nRUN \\", "FROM a\nENV \"unclosed", "FROM a\nCOPY [\"x\", ", "FROM a\nRUN <<", "\\\n\\\n",
     "FROM a\nUSER\n", "FROM a\nARG\n", "FROM a\nRUN --mount=\n", "FROM a AS\n"],
)
def test_bad_input_never_raises(text):
    model(text)


def test_undecodable_document():
    result = parse(Document(Path("Dockerfile"), "Dockerfile", Kind.DOCKERFILE, None, b"\xff"))
    assert result.problems[0].message == "file is not valid UTF-8 text"


def test_from_swallowed_by_a_trailing_escape_is_reported_once_at_the_from():
    text = "ARG DIR=C:\\\\data\\\\\n\nFROM mcr.microsoft.com/windows/servercore AS runtime\nRUN dir\nCOPY a b\n"
    problems = model(text).problems
    assert len(problems) == 1
    assert problems[0].region == Region(3, 1, 3, 53)  # 52 characters, end exclusive
    assert "ends with the escape character `\\`" in problems[0].message
