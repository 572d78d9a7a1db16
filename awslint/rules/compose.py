"""AWS3xx: docker compose services and ``.env`` files."""

from __future__ import annotations

from collections.abc import Iterator

from awslint.model import FileModel, Kind, Service
from awslint.rules import Hit, Severity, rule
from awslint.rules.aws_usage import aws_usage, credential_source


@rule(
    "AWS301",
    "service-without-credentials",
    Severity.WARNING,
    [Kind.COMPOSE],
    "compose service uses AWS but is given no credentials",
    tags=("correctness",),
)
def service_without_credentials(model: FileModel) -> Iterator[Hit]:
    """A service that uses AWS with no ``~/.aws`` mount, no key pass-through, no container
    credentials variables, no ``env_file`` that could hold them, and no ``x-aws-*`` ECS role."""
    for service in model.workloads:
        usage = aws_usage(service)
        if usage is None or credential_source(service) or _may_get_credentials(service):
            continue
        reason, where = usage
        yield Hit(
            f"service `{service.name}` uses AWS ({reason}) but gets no credentials inside the container: "
            "bind-mount `~/.aws` read-only into the container user's home, or pass "
            "`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` through from the shell",
            service.region,
            ((f"AWS use: {reason}", where),),
        )


def _may_get_credentials(service) -> bool:
    return isinstance(service, Service) and (bool(service.env_files) or any(x.startswith("x-aws") for x in service.extensions))
