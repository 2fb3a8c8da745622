"""A small real file system for the database, to fill up or make read-only under a running
server: an ext4 image on a loop device (needs root, as in this project's sandboxes and
CI; elsewhere the tests skip, and fail under CI=true). Disk full is the kernel's ENOSPC
once a ballast file has taken every block; read-only is the immutable attribute
(`chattr +i`), which refuses writes even to root and even through files already open,
then is lifted again (SQLite answers "disk I/O error" / "attempt to write a readonly
database"). The -shm file is left alone: SQLite maps it, and an immutable map faults."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from live_server import unavailable

CHUNK = 256 * 1024


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


@contextmanager
def small_disk(tmp_path: Path, megabytes: int = 16) -> Iterator[Path]:
    """Mount a fresh ext4 file system of this size (no blocks reserved); yield its root."""
    image, root = tmp_path / "disk.img", tmp_path / "disk"
    root.mkdir()
    with image.open("wb") as file:
        file.truncate(megabytes * 1024 * 1024)
    made = _run("mkfs.ext4", "-q", "-F", "-m", "0", str(image))
    mounted = made.returncode == 0 and _run("mount", "-o", "loop", str(image), str(root))
    if not mounted or mounted.returncode != 0:
        detail = (made.stderr or (mounted.stderr if mounted else "")).strip()
        unavailable(f"a loop-mounted file system is needed (root, mkfs.ext4): {detail}")
    try:
        yield root
    finally:
        for path in root.iterdir():
            _run("chattr", "-i", str(path))
        if _run("umount", str(root)).returncode != 0:
            _run("umount", "-l", str(root))  # a killed server's files may still be closing
        image.unlink()


def fill(root: Path) -> Path:
    """Take every free block with a ballast file (ENOSPC for whoever writes next)."""
    ballast = root / "ballast"
    descriptor = os.open(ballast, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (CHUNK, 4096, 1):  # big pieces, then what is left of the last blocks
            try:
                while True:
                    os.write(descriptor, b"\0" * size)
            except OSError as full:
                assert full.errno == errno.ENOSPC, full
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return ballast


def set_read_only(paths: list[Path], read_only: bool) -> None:
    """Make these files immutable (writes refused, root included), or writable again."""
    for path in paths:
        if path.exists():
            done = _run("chattr", "+i" if read_only else "-i", str(path))
            assert done.returncode == 0, done.stderr
