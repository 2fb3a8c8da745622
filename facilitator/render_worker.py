"""One render worker (facilitator/offload.py starts it): `python -m facilitator.render_worker MB`.

It caps its own address space at MB megabytes (RLIMIT_AS) and lowers its priority (nice
+10), then answers jobs from stdin
until stdin closes (the server stopped or dropped it): each job is (module, function name,
plain arguments); the answer is ("ok", bytes) or ("error", the exception's class name).
Nothing about a job is logged (the arguments are case text). Out of memory (its cap), it
answers ("fatal", "MemoryError") and exits; one that dies without answering is seen by the
server as a crash.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import pickle
import resource
import signal
import struct
import sys
from typing import Any

HEADER = struct.Struct("!Q")  # as in facilitator/offload.py
# A render is batch work: below the server in the CPU's queue, so that on a machine with
# few cores a PDF takes a little longer rather than the meetings waiting for it.
NICENESS = 10


def _read(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _write(fd: int, value: Any) -> None:
    body = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    data = memoryview(HEADER.pack(len(body)) + body)
    while data:
        data = data[os.write(fd, data) :]


def _cap_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def serve(requests: int, answers: int) -> None:
    while True:
        header = _read(requests, HEADER.size)
        if header is None:
            return  # the server closed the pipe: nothing more to do
        job = _read(requests, HEADER.unpack(header)[0])
        if job is None:
            return
        module, name, args = pickle.loads(job)
        try:
            work: Any = importlib.import_module(module)
            for part in name.split("."):
                work = getattr(work, part)
            _write(answers, ("ok", bytes(work(*args))))
        except MemoryError:
            _write(answers, ("fatal", "MemoryError"))  # the server replaces this worker
            os._exit(1)  # what ran out of memory may have left anything half made
        except BrokenPipeError:
            raise
        except Exception as failure:
            _write(answers, ("error", type(failure).__name__))
        del job, args


def main() -> None:
    # The protocol owns the real stdout; anything a library prints goes to stderr instead.
    answers = os.dup(1)
    os.dup2(2, 1)
    logging.basicConfig(level=logging.ERROR)  # no library's progress or per-character warnings
    for library in ("weasyprint", "fontTools"):
        logging.getLogger(library).setLevel(logging.ERROR)
    _cap_memory(int(sys.argv[1]))
    os.nice(NICENESS)
    # Ctrl+C in the server's terminal reaches the whole process group: the server drains,
    # and this worker ends when the server closes its pipe, not with a traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(BrokenPipeError):  # the server went away mid-answer
        serve(0, answers)


if __name__ == "__main__":
    main()
