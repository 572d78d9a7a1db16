"""AWS2xx: Dockerfiles."""

from __future__ import annotations

from collections.abc import Iterator

from awslint.model import FileModel, Kind, Stage
from awslint.rules import Hit, Severity, rule

_SHARED_FILES = ("credentials", "config")


def _parts(path: str) -> list[str]:
    return [p for p in path.replace("\\", "/").split("/") if p]


@rule(
    "AWS201",
    "aws-credentials-copied-into-image",
    Severity.ERROR,
    [Kind.DOCKERFILE],
    "`COPY`/`ADD` puts an `.aws` folder or credentials file into the image",
    tags=("security", "secrets"),
    security_severity=8.0,
)
def aws_credentials_copied_into_image(model: FileModel) -> Iterator[Hit]:
    """Every layer of an image can be read by whoever can pull it, so a copied ``~/.aws``
    ships its keys (Docker docs, "Build secrets")."""
    for stage in model.workloads:
        for copy in stage.copies if isinstance(stage, Stage) else ():
            into_aws = ".aws" in _parts(copy.destination.text)
            for source in copy.sources:
                parts = _parts(source.text)
                if ".aws" in parts or (into_aws and parts and parts[-1] in _SHARED_FILES):
                    yield Hit(
                        f"`{copy.instruction} {source.text}` bakes AWS credentials into an image layer that anyone "
                        "who can pull the image can read; use `RUN --mount=type=secret,id=aws,target=/root/.aws/credentials` "
                        "at build time or mount `~/.aws` when the container runs",
                        source.region,
                    )
