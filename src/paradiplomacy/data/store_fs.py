"""The folder of datasets on disk: never written, deleted or read outside itself, replaced
atomically.

Layout: each dataset ``<root>/<name>`` is a symbolic link to a version folder
``<root>/.versions/<name>.<pid>.<random>``. A new version is written beside the old one and
fsynced, then a new link is renamed over the old link (``rename(2)`` is atomic on POSIX), and
only then is the old version removed: a kill at any moment leaves the old dataset or the new
one, never neither. What a killed writer leaves (a version or link of a process that no longer
runs) is hidden (its name starts with '.'), never listed as a dataset, and removed by the next
writer. Folders made before links were used (a plain ``<root>/<name>`` folder) are read as
they are and replaced the same way.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from paradiplomacy.io.errors import InputError
from paradiplomacy.io.export import umask

VERSIONS = ".versions"
REPLACES = ".replaces"  # in a version: the name of the version it replaced


def inside(root: Path, path: Path) -> Path:
    """``path`` resolved, if it lies in ``root`` (else an InputError: nothing outside the
    store is ever touched, whatever links or names say)."""
    base, real = root.resolve(), path.resolve()
    if real != base and base not in real.parents:
        raise InputError(str(path), f"lies outside the datasets folder {root}: refused")
    return real


def folder_of(root: Path, name: str) -> Path:
    """Where dataset ``name`` is read from (resolved, inside the store)."""
    return inside(root, root / name)


def names(root: Path) -> list[str]:
    """Datasets in the store: visible entries with a ``dataset.yaml``, sorted."""
    if not root.is_dir():
        return []
    out = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        try:
            if (folder_of(root, entry.name) / "dataset.yaml").is_file():
                out.append(entry.name)
        except InputError:
            continue  # a link leading outside the store is not a dataset
    return out


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def clean(root: Path) -> list[str]:
    """Remove what killed writers left: their links, versions no dataset points to (of a
    process that no longer runs, or replaced by the version a dataset points to); the names
    removed. A version being written by a running process is left alone."""
    versions = root / VERSIONS
    removed: list[str] = []
    for entry in root.glob(".link-*"):
        if not _alive(entry.name.split("-")[1]):
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    if not versions.is_dir():
        return removed
    used = {os.path.basename(os.readlink(e)) for e in root.iterdir() if e.is_symlink()}
    superseded = {(versions / u / REPLACES).read_text(encoding="utf-8").strip()
                  for u in used if (versions / u / REPLACES).is_file()}
    for entry in versions.iterdir():
        name, pid, _ = [*entry.name.rsplit(".", 2), "", ""][:3]
        if entry.name in used:
            continue
        if pid == "legacy" and not os.path.lexists(root / name):  # killed while moving it
            os.symlink(os.path.join(VERSIONS, entry.name), root / name)
            continue
        if entry.name in superseded or not _alive(pid):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace(root: Path, name: str, fill: Callable[[Path], None]) -> Path:
    """Write dataset ``name`` with ``fill(folder)`` and put it in place atomically; the old
    version stays until the new one is in place. Returns the dataset's path."""
    if not root.parent.is_dir():
        raise InputError(str(root), f"cannot make the datasets folder: {root.parent} is not a "
                                    "folder (parent folders are not created)")
    if root.exists() and not root.is_dir():
        raise InputError(str(root), "is a file, not a folder of datasets")
    root.mkdir(exist_ok=True)  # the store itself; never its parents
    inside(root, root / name)
    clean(root)
    versions = root / VERSIONS
    versions.mkdir(exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=f"{name}.{os.getpid()}.", dir=versions))
    link = root / f".link-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        os.chmod(new, 0o777 & ~umask())  # mkdtemp makes 0700; follow the umask
        fill(new)
        target = root / name
        old = _previous(root, target)
        if old is not None:  # so that a later clean-up knows the old version is superseded
            (new / REPLACES).write_text(old.name, encoding="utf-8")
        for f in new.iterdir():
            _fsync(f)
        _fsync(new)
        os.symlink(os.path.join(VERSIONS, new.name), link)
        os.replace(link, target)
        _fsync(root)
    except BaseException:
        link.unlink(missing_ok=True)
        shutil.rmtree(new, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
        if not old.exists():  # the marker has done its work
            (new / REPLACES).unlink(missing_ok=True)
    return target


def _previous(root: Path, target: Path) -> Path | None:
    """The version a dataset's link points to (to remove once replaced); a plain folder of an
    earlier release is first moved among the versions so the link can replace it."""
    if target.is_symlink():
        return inside(root, target)
    if not target.exists():
        return None
    if not target.is_dir():
        raise InputError(str(target), "is a file, not a dataset: move it away first")
    moved = root / VERSIONS / f"{target.name}.legacy.{secrets.token_hex(4)}"
    os.rename(target, moved)
    os.symlink(os.path.join(VERSIONS, moved.name), target)  # the old data stays readable
    return moved
