"""docker compose files (the Compose Specification, docs.docker.com/reference/compose-file/).

Each service becomes a :class:`~awslint.model.Service` with its ``environment`` (list or map
form; a name without a value is passed through from the shell), ``volumes`` (short
``SOURCE:TARGET[:MODE]`` and long syntax), ``user``, ``command``/``entrypoint`` and ``env_file``.
Compose v1 files (services at the top level) are read too.
"""

from __future__ import annotations

from awslint.model import Command, Document, EnvVar, FileModel, Mount, Service
from awslint.parse.common import load_mapping, mapping_env, scalar, value_region
from awslint.parse.tree import Node


def parse(document: Document) -> FileModel:
    """Parse a compose file; YAML errors and a non-mapping top level become problems."""
    model = FileModel(document)
    root = load_mapping(document, model, "a mapping with a `services:` key")
    if root is None:
        return model
    for name, node in _services(root).items():
        if isinstance(node.value, dict):
            model.workloads.append(_service(name, node))
    return model


def _services(root: Node) -> dict[str, Node]:
    services = root.get("services")
    if services is not None:
        return services.mapping()
    # Compose file format v1: every top-level value is a service.
    return {k: v for k, v in root.mapping().items() if v.get("image") or v.get("build")}


def _service(name: str, node: Node) -> Service:
    user = node.get("user")
    return Service(
        type="service",
        name=name,
        region=node.key_region or node.region,
        image=scalar(node.get("image")),
        env=_environment(node.get("environment")),
        mounts=[m for m in map(_mount, node.get("volumes").items() if node.get("volumes") else []) if m],
        user=scalar(user),
        commands=[c for c in (_command(node.get("entrypoint")), _command(node.get("command"))) if c],
        env_files=[s for s in map(scalar, _env_files(node.get("env_file"))) if s],
        extensions={key for key in node.mapping() if key.startswith("x-")},
    )


def _environment(node: Node | None) -> list[EnvVar]:
    if node is None or not isinstance(node.value, list):
        return mapping_env(node)
    found = []
    for item in node.items():
        text = item.text
        if text is None:
            continue
        name, sep, value = text.partition("=")
        found.append(EnvVar(name, value if sep else None, item.region, value_region(item, len(name) + 1) if sep else None))
    return found


def _env_files(node: Node | None) -> list[Node]:
    if node is None:
        return []
    items = node.items() if isinstance(node.value, list) else [node]
    return [item.get("path") or item for item in items]


def _mount(node: Node) -> Mount | None:
    if isinstance(node.value, dict):
        target = node.get("target")
        source = node.get("source")
        kind = node.get("type")
        if target is None or target.text is None:
            return None
        source_text = source.text if source else None
        return Mount(source_text, target.text, kind.text if kind and kind.text else _mount_type(source_text), node.region)
    text = node.text
    if not text:
        return None
    source, target = _split_volume(text)
    return Mount(source, target, _mount_type(source), node.region)


def _split_volume(text: str) -> tuple[str | None, str]:
    """``SOURCE:TARGET[:MODE]`` or ``TARGET``; a Windows drive letter (``C:\\x``) stays in SOURCE."""
    parts = text.split(":")
    if len(parts) > 1 and len(parts[0]) == 1 and parts[0].isalpha():
        parts = [parts[0] + ":" + parts[1], *parts[2:]]
    if len(parts) == 1:
        return None, parts[0]
    return parts[0], parts[1]


def _mount_type(source: str | None) -> str:
    if source is None:
        return "volume"
    bind = source.startswith((".", "/", "~", "$", "\\")) or (len(source) > 1 and source[1] == ":")
    return "bind" if bind else "volume"


def _command(node: Node | None) -> Command | None:
    if node is None:
        return None
    if isinstance(node.value, list):
        return Command(" ".join(item.text or "" for item in node.items()), node.region, exec_form=True)
    return Command(node.text, node.region) if node.text else None
