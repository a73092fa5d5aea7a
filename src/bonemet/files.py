"""Writing files whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bonemet.errors import OutputError


def write_atomic(path: Path | str, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` through a temporary file and a rename.

    A reader sees the old file or the new one, never half of either; on any
    failure the old file stays as it was and no temporary file is left.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: the folder {folder} does not exist", "create it first, or choose another output path")
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder", "give a file name inside it")
    data = content.encode("utf-8") if isinstance(content, str) else content
    remove_stale(folder)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TEMPORARY_SUFFIX, dir=folder)
    except OSError as err:
        raise OutputError(f"cannot write in {folder} ({err.strerror})", "choose a folder you can write to, or change its permissions") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _default_mode())
        os.replace(temporary, path)
    except OSError as err:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise OutputError(f"cannot write {path} ({err.strerror})", "check the free space and the permissions of its folder") from None
    return path


TEMPORARY_SUFFIX = ".bonemet-tmp"


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary files that writers killed before their rename left in
    ``folder``: those whose process (its id is in the name) no longer runs."""
    removed = []
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(TEMPORARY_SUFFIX)]
    except OSError:
        return removed
    for candidate in candidates:
        # .NAME.PID.RANDOM.bonemet-tmp, as write_atomic names them
        parts = candidate.name[: -len(TEMPORARY_SUFFIX)].rsplit(".", 2)
        if len(parts) != 3 or not parts[1].isdigit() or process_runs(int(parts[1])):
            continue
        try:
            candidate.unlink()
            removed.append(candidate)
        except OSError:
            pass
    return removed


def process_runs(pid: int) -> bool:
    """Whether a process with this id runs now (this one included)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, as another user
    except OSError:
        return True
    return True


def process_folder(root: Path, kind: str) -> Path:
    """A fresh private folder ``root/KIND-PID-...`` for this process, after removing the
    ``KIND-*`` folders of processes that no longer run (one ended by kill -9)."""
    import shutil

    root.mkdir(mode=0o700, exist_ok=True)
    for old in root.glob(f"{kind}-*-*"):
        pid = old.name[len(kind) + 1:].split("-")[0]
        if pid.isdigit() and not process_runs(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{kind}-{os.getpid()}-", dir=root))


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_folder(files: dict[str, str | bytes], out_dir: Path | str) -> list[Path]:
    """Write every file (name -> content; a name may hold folders, ``site/id/x.html``) into a
    staging folder beside ``out_dir``, then swap it into place:
    ``out_dir`` always holds one whole build, the old one or the new, never a mix (a build
    that fails partway, on a full disk say, leaves the old one as it was)."""
    import shutil

    out_dir = Path(out_dir)
    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create the folder {out_dir} ({err.strerror})", "choose a folder you can write in") from None
    _remove_stale_staging(parent, out_dir.name)
    staging = parent / f".{out_dir.name}.staging.{os.getpid()}"
    retired = parent / f".{out_dir.name}.retired.{os.getpid()}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
        if out_dir.exists():
            os.replace(out_dir, retired)
        os.replace(staging, out_dir)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out_dir.exists():
            os.replace(retired, out_dir)
        raise OutputError(f"cannot write into {out_dir} ({err.strerror})", "check the free space and the permissions of its folder") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return [out_dir / name for name in files]


def _remove_stale_staging(parent: Path, name: str) -> None:
    """Staging and retired folders of builds that were killed before they finished."""
    import shutil

    for candidate in parent.glob(f".{name}.*.*"):
        kind, _dot, pid = candidate.name[len(name) + 2:].partition(".")
        if kind in ("staging", "retired") and pid.isdigit() and not process_runs(int(pid)):
            shutil.rmtree(candidate, ignore_errors=True)
