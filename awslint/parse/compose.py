"""docker compose files (the Compose Specification, docs.docker.com/reference/compose-file/).

Each service becomes a :class:`~awslint.model.Service` with its ``environment`` (list or map
form; a name without a value is passed through from the shell), ``env_file`` (string, list,
long form with ``path``; the variables of the files that exist are added to ``environment``),
``volumes`` (short ``SOURCE:TARGET[:MODE]`` and long syntax, with ``read_only``), ``secrets``
(mounted at ``/run/secrets/NAME`` unless ``target`` says otherwise), ``user``,
``command``/``entrypoint``, ``build`` (the final ``USER`` of a Dockerfile in the repository is
read) and ``extends`` (same file or ``file:``). Compose v1 files (services at the top level)
are read too.

:func:`link` then merges the files of one project as compose does ("Merge and override"): an
override file (``compose.override.yaml`` next to ``compose.yaml``, ``docker-compose.override.yml``
next to ``docker-compose.yml``) patches the services of its base file and of the files that
base ``include``s; environment variables merge by name, volumes by target, scalars are
replaced. What comes from another file is marked ``elsewhere`` (``file:line``) and located at
the service it was merged into, so every finding still points into the file it is reported on.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import replace
from pathlib import Path

from awslint.model import Command, Document, EnvVar, FileModel, Kind, Mount, Scalar, Service, real
from awslint.parse import dockerfile, dotenv
from awslint.parse.common import load_mapping, mapping_env, scalar, value_region
from awslint.parse.tree import Node, TooDeep, TreeError, load_yaml

_OVERRIDE = re.compile(r"^(docker-compose|compose)\.override\.ya?ml$")
_MAX_FILE = 5 * 1024 * 1024
_MAX_DEPTH = 8  # extends/include chains deeper than this are not followed


def parse(document: Document) -> FileModel:
    """Parse a compose file; YAML errors and a non-mapping top level become problems."""
    model = FileModel(document)
    root = load_mapping(document, model, "a mapping with a `services:` key")
    if root is None:
        return model
    nodes = {name: node for name, node in _services(root).items() if isinstance(node.value, dict)}
    base = document.path.parent
    for name, node in nodes.items():
        service = _service(name, node, base)
        _extend(service, node, nodes, document.path, 0)
        model.workloads.append(service)
    if _OVERRIDE.match(document.path.name) and base_files(document.path):
        for service in model.workloads:
            service.partial = True
    model.variables = _project_dotenv(base)
    model.includes = _direct_includes(root, document.path)
    return model


def _project_dotenv(folder: Path) -> list[EnvVar]:
    """The variables of the ``.env`` next to the compose file, which compose reads for
    interpolation (Docker docs, "Set environment variables": ``.env`` in the project folder);
    they are marked ``elsewhere`` (the ``.env`` file is linted on its own)."""
    document = _read(folder / ".env", Kind.DOTENV)
    if document is None:
        return []
    return [replace(var, elsewhere=f".env:{var.region.start_line}") for var in dotenv.parse(document).variables]


def base_files(override: Path) -> list[Path]:
    """The files an override file patches: ``compose.y[a]ml`` for ``compose.override.*``,
    ``docker-compose.y[a]ml`` for ``docker-compose.override.*``, where they exist."""
    match = _OVERRIDE.match(override.name)
    if not match:
        return []
    return [p for p in (override.with_name(f"{match.group(1)}.{ext}") for ext in ("yaml", "yml")) if p.is_file()]


def overrides_of(path: Path) -> list[Path]:
    """The override files next to a base compose file."""
    stem = path.name.rsplit(".", 1)[0]
    if stem not in ("compose", "docker-compose"):
        return []
    return [p for p in (path.with_name(f"{stem}.override.{ext}") for ext in ("yaml", "yml")) if p.is_file()]


def link(models: dict[Path, FileModel]) -> list[Path]:
    """Merge each project's override files into the services of its base file and of the files
    the base includes. ``models`` maps resolved paths to parsed compose files; files a project
    needs that are not among them are read from disk and added. Returns the included files
    (they are compose files whatever their names)."""
    included: list[Path] = []
    for path, model in list(models.items()):
        includes = _includes(model, models)
        included += [file for file, _ in includes]
        patches = [_other(p, models) for p in overrides_of(path)]
        for file, own_overrides in includes:
            # `include: - path: [FILE, OVERRIDE...]`: the later files patch the first one only.
            own = [_other(p, models) for p in own_overrides]
            for patch in own:
                if patch is not None:
                    for service in patch.workloads:
                        service.partial = True
            _patch(_other(file, models), own)
        for target in [model, *(_other(file, models) for file, _ in includes)] if patches else []:
            _patch(target, patches)
    for path in included:
        _other(path, models)
    return included


def _patch(target: FileModel | None, patches: list[FileModel | None]) -> None:
    """Merge the services of each of ``patches``, in order, into the same-named services of ``target``."""
    for service in target.workloads if target else ():
        for patch in patches:
            for other in patch.workloads if patch else ():
                if other.name == service.name:
                    _merge(service, other, patch.document.path, target.document.path)


def env_file_paths(model: FileModel) -> list[Path]:
    """The ``env_file``s of the file's own services that exist, resolved."""
    base = model.document.path.parent
    paths = [real(base / entry.text) for service in model.workloads for entry in getattr(service, "env_files", [])]
    return [path for path in dict.fromkeys(paths) if path.is_file()]


def _other(path: Path, models: dict[Path, FileModel]) -> FileModel | None:
    """The parsed compose file at ``path``, from ``models`` or read now (``None`` if unreadable)."""
    resolved = real(path)
    if resolved not in models:
        document = _read(resolved, Kind.COMPOSE)
        if document is None:
            return None
        models[resolved] = parse(document)
    return models[resolved]


_SYSTEM = (Path("/proc"), Path("/sys"), Path("/dev"))


def _read(path: Path, kind: Kind) -> Document | None:
    """A file a compose file names (override, include, extends, env_file, Dockerfile), or
    ``None``: never a pseudo-file (``/proc/self/environ`` would hand over the linter's own
    environment), never a FIFO or device, never one over 5 MB."""
    try:
        resolved = real(path)
        if any(resolved.is_relative_to(system) for system in _SYSTEM):
            return None
        info = resolved.stat()
        if not stat.S_ISREG(info.st_mode) or not 0 < info.st_size <= _MAX_FILE:
            return None
        raw = resolved.read_bytes()
    except (OSError, ValueError):  # ValueError: a NUL byte in the path
        return None
    return Document(path, str(path), kind, raw.decode("utf-8", "replace").removeprefix("\ufeff"), raw)


def _direct_includes(root: Node, path: Path) -> list[tuple[Path, list[Path]]]:
    """The files the compose file ``include``s (string, or ``path:`` string or list), each with
    its own override files: in a ``path:`` list the first file is the one included and the
    others are merged into it (Docker docs, "Include and overrides")."""
    found: list[tuple[Path, list[Path]]] = []
    for item in root.get("include").items() if root.get("include") else []:
        paths = item.get("path") if isinstance(item.value, dict) else item
        nodes = paths.items() if paths is not None and isinstance(paths.value, list) else [paths]
        files = [real(path.parent / node.text) for node in nodes if node is not None and node.text]
        if files:
            found.append((files[0], files[1:]))
    return found


def _includes(model: FileModel, models: dict[Path, FileModel], depth: int = 0) -> list[tuple[Path, list[Path]]]:
    """:attr:`FileModel.includes`, followed recursively through the parsed included files."""
    found = list(model.includes)
    for file, _ in model.includes if depth < _MAX_DEPTH else []:
        included = _other(file, models)
        if included is not None:
            found.extend(_includes(included, models, depth + 1))
    return found


def _yaml(document: Document | None) -> Node | None:
    if document is None:
        return None
    try:
        return load_yaml(document.text or "")
    except (TreeError, TooDeep):
        return None


def _services(root: Node) -> dict[str, Node]:
    services = root.get("services")
    if services is not None:
        return services.mapping()
    # Compose file format v1: every top-level value is a service.
    return {k: v for k, v in root.mapping().items() if v.get("image") or v.get("build")}


def _service(name: str, node: Node, base: Path) -> Service:
    service = Service(
        type="service",
        name=name,
        region=node.key_region or node.region,
        image=scalar(node.get("image")),
        env=_environment(node.get("environment")),
        mounts=[m for m in map(_mount, node.get("volumes").items() if node.get("volumes") else []) if m],
        user=scalar(node.get("user")),
        commands=[c for c in (_command(node.get("entrypoint")), _command(node.get("command"))) if c],
        env_files=[s for s in map(scalar, _env_files(node.get("env_file"))) if s],
        extensions={key for key in node.mapping() if key.startswith("x-")},
        replaced={key for key, child in node.mapping().items() if child.tag in ("!override", "!reset")},
    )
    service.mounts += _secrets(node.get("secrets"))
    _env_file_variables(service, base)
    _build(service, node.get("build"), base)
    return service


def _extend(service: Service, node: Node, nodes: dict[str, Node], path: Path, depth: int) -> None:
    """``extends: NAME`` or ``extends: {service: NAME, file: F}``: the extended service is the
    base, this one's own settings win (Compose Specification, "extends")."""
    spec = node.get("extends")
    if spec is None or depth >= _MAX_DEPTH:
        return
    name = spec.text if isinstance(spec.value, str) else (spec.get("service").text if spec.get("service") else None)
    file = spec.get("file").text if isinstance(spec.value, dict) and spec.get("file") else None
    source, source_nodes = path, nodes
    if file:
        source = real(path.parent / file)
        root = _yaml(_read(source, Kind.COMPOSE))
        source_nodes = _services(root) if root else {}
    parent_node = source_nodes.get(name or "")
    if parent_node is None or not isinstance(parent_node.value, dict) or (source == path and name == service.name):
        return
    parent = _service(name, parent_node, source.parent)
    _extend(parent, parent_node, source_nodes, source, depth + 1)
    if source == path:  # what the parent got from other files is now this service's: point at it
        parent.env = [replace(v, region=service.region, value_region=None) if v.elsewhere else v for v in parent.env]
        parent.mounts = [replace(m, region=service.region) if m.elsewhere else m for m in parent.mounts]
    merged = Service(type="service", name=service.name, region=service.region)
    _merge(merged, parent, source, path)
    _merge(merged, replace(service), path, path)
    service.env, service.mounts, service.commands, service.env_files = merged.env, merged.mounts, merged.commands, merged.env_files
    service.extensions = merged.extensions
    for field_name in ("image", "user", "build", "image_user", "image_user_at"):
        setattr(service, field_name, getattr(merged, field_name))


def _merge(service: Service, other: Service, other_path: Path, path: Path) -> None:
    """Patch ``service`` (from ``path``) with ``other`` (from ``other_path``) as compose merges
    an override: variables by name, volumes by target, scalars replaced; a key tagged
    ``!override`` or ``!reset`` in ``other`` replaces or clears it (Compose Specification,
    "Merge and override": "Replace value", "Reset value")."""
    moved = real(other_path) != real(path)
    rel = os.path.relpath(other_path, path.parent)

    def rebased(relative: str) -> str:
        """A path relative to ``other_path``'s folder, made relative to ``path``'s."""
        return os.path.relpath(other_path.parent / relative, path.parent) if moved else relative

    def located(item):
        if not moved:
            return item
        # From a third file (an `env_file`, an extended file): keep its origin, rebased; either
        # way the region moves to the service here, as the item's own lines are in another file.
        file, _, line = (item.elsewhere or "").rpartition(":")
        where = f"{rebased(file)}:{line}" if item.elsewhere else f"{rel}:{item.region.start_line}"
        return replace(item, region=service.region, elsewhere=where, **({"value_region": None} if isinstance(item, EnvVar) else {}))

    names = {v.name for v in other.env}
    kept_env = [] if "environment" in other.replaced else [v for v in service.env if v.name not in names]
    service.env = kept_env + [located(v) for v in other.env]
    targets = {m.target for m in other.mounts}
    kept_mounts = [] if "volumes" in other.replaced else [m for m in service.mounts if m.target not in targets]
    service.mounts = kept_mounts + [located(m) for m in other.mounts]
    if "user" in other.replaced:
        service.user = None
    service.commands = [replace(c, region=service.region) if moved else c for c in other.commands] or service.commands
    service.env_files = service.env_files + [replace(s, region=service.region, text=rebased(s.text)) if moved else s for s in other.env_files]
    service.extensions |= other.extensions
    for field_name in ("image", "user", "build"):
        value = getattr(other, field_name)
        if value is not None:
            setattr(service, field_name, replace(value, region=service.region) if moved else value)
    if other.image_user is not None and other.image_user_at is not None:
        file, _, line = other.image_user_at.rpartition(":")
        service.image_user, service.image_user_at = replace(other.image_user, region=service.region), f"{rebased(file)}:{line}"


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


def _env_file_variables(service: Service, base: Path) -> None:
    """Add the variables of each ``env_file`` that exists, marked with their file and line;
    ``environment`` entries win over them (Compose Specification, "env_file")."""
    own = {v.name for v in service.env}
    for entry in service.env_files:
        path = base / entry.text
        document = _read(path, Kind.DOTENV)
        if document is None:
            continue
        rel = os.path.relpath(path, base)
        for var in dotenv.parse(document).variables:
            if var.name not in own:
                service.env.append(replace(var, region=entry.region, value_region=None, elsewhere=f"{rel}:{var.region.start_line}"))


def _secrets(node: Node | None) -> list[Mount]:
    """Service ``secrets``: short form ``NAME`` at ``/run/secrets/NAME``; long form with
    ``source`` and ``target`` (a relative target is under ``/run/secrets``)."""
    found = []
    for item in node.items() if node else []:
        source = item.text if isinstance(item.value, str) else (item.get("source").text if item.get("source") else None)
        target = item.get("target").text if isinstance(item.value, dict) and item.get("target") else None
        if source:
            target = target or source
            found.append(Mount(source, target if target.startswith("/") else f"/run/secrets/{target}", "secret", item.region, True))
    return found


def _build(service: Service, node: Node | None, base: Path) -> None:
    """``build: CONTEXT`` or ``build: {context, dockerfile, target}``: read the Dockerfile, when
    it is in the repository, for the ``USER`` the image runs as (its target or final stage)."""
    if node is None:
        return
    context = node.text if isinstance(node.value, str) else (node.get("context").text if node.get("context") else ".")
    if context is None or "://" in context or context.startswith("git@"):
        return
    name = node.get("dockerfile").text if isinstance(node.value, dict) and node.get("dockerfile") else "Dockerfile"
    target = node.get("target").text if isinstance(node.value, dict) and node.get("target") else None
    path = real(base / context / (name or "Dockerfile"))
    service.build = Scalar(str(path), node.region)
    document = _read(path, Kind.DOCKERFILE)
    stages = dockerfile.parse(document).workloads if document else []
    stage = next((s for s in stages if s.name == target), stages[-1] if stages else None)
    if stage is not None and stage.user is not None:
        service.image_user = Scalar(stage.user.text, node.region)
        service.image_user_at = f"{os.path.relpath(path, base)}:{stage.user.region.start_line}"


def _mount(node: Node) -> Mount | None:
    if isinstance(node.value, dict):
        target = node.get("target")
        source = node.get("source")
        kind = node.get("type")
        if target is None or target.text is None:
            return None
        source_text = source.text if source else None
        read_only = (node.get("read_only").text or "").lower() == "true" if node.get("read_only") else False
        return Mount(source_text, target.text, kind.text if kind and kind.text else _mount_type(source_text), node.region, read_only)
    text = node.text
    if not text:
        return None
    source, target, mode = _split_volume(text)
    return Mount(source, target, _mount_type(source), node.region, "ro" in mode.split(","))


def _split_volume(text: str) -> tuple[str | None, str, str]:
    """``SOURCE:TARGET[:MODE]`` or ``TARGET``; a Windows drive letter (``C:\\x``) stays in SOURCE."""
    parts = text.split(":")
    if len(parts) > 1 and len(parts[0]) == 1 and parts[0].isalpha():
        parts = [parts[0] + ":" + parts[1], *parts[2:]]
    if len(parts) == 1:
        return None, parts[0], ""
    return parts[0], parts[1], parts[2] if len(parts) > 2 else ""


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
