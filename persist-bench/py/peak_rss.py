"""P3's memory figure in persist's benchmarks: the peak RSS of a first import vs pickle.load.

Run by the suite (benches/suite/python.rs), each measuring mode in a fresh process with
PYTHONDONTWRITEBYTECODE=1 and no __pycache__ beside the archive:

    python peak_rss.py dump DIR NAME ITEM FILE   # once: pickle the records as plain objects
    python peak_rss.py import DIR NAME ITEM      # the first `import NAME` from DIR
    python peak_rss.py pickle FILE               # `pickle.load(open(FILE, 'rb'))`

`dump` imports the archive and writes its records as instances of the plain classes of
`plain_particles.py` (which `pickle` mode imports to load them) with the highest protocol.
The two measuring modes import numpy first, then read the RSS (`VmRSS` of /proc/self/status)
and the peak so far (`VmHWM`), do their one load, count the records and read the peak again.
Each prints one JSON object, in bytes: the RSS before, the peak before, the peak after, the
same two peaks as `ru_maxrss` reports them, and the number of records.

The peak is `VmHWM`, not `ru_maxrss`: a process started by posix_spawn or fork + exec keeps the
`ru_maxrss` of the process that started it (Linux carries it across exec), so a Python started
by the suite reports the suite's own peak until it outgrows it. `VmHWM` belongs to the new
address space that exec made: it is this Python's own.
"""

import json
import pickle
import resource
import sys

import numpy  # noqa: F401
from plain_particles import plain


def status(key):
    """The line `key` of /proc/self/status (`VmRSS`, `VmHWM`), in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {key} in /proc/self/status")


def max_rss():
    """`ru_maxrss` in bytes (Linux reports KiB): the peak, or an inherited one (see above)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def load(mode, args):
    """Do the one load of `mode`: the values it gives."""
    if mode == "import":
        directory, name, item = args
        sys.path.insert(0, directory)
        return getattr(__import__(name), item)
    (path,) = args
    return pickle.load(open(path, "rb"))


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "dump":
        directory, name, item, path = args
        values = load("import", [directory, name, item])
        records = plain(values)
        with open(path, "wb") as f:
            pickle.dump(records, f, protocol=pickle.HIGHEST_PROTOCOL)
        print(json.dumps({"items": len(records)}))
        return
    if mode not in ("import", "pickle"):
        sys.exit(f"unknown mode {mode!r}: dump, import or pickle")
    rss_before, peak_before, maxrss_before = status("VmRSS"), status("VmHWM"), max_rss()
    values = load(mode, args)
    items = len(values)
    peak, maxrss = status("VmHWM"), max_rss()
    print(
        json.dumps(
            {
                "rss_before": rss_before,
                "peak_before": peak_before,
                "peak": peak,
                "maxrss_before": maxrss_before,
                "maxrss": maxrss,
                "items": items,
            }
        )
    )


main()
