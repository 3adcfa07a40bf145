#!/usr/bin/env python3
"""Pseudo-terminal for the virtual reader.

Node has no openpty(), so this helper opens a pty pair, prints the slave's path as one JSON line on stderr,
and relays the master side over its own stdin/stdout as raw bytes. The driver under test opens the slave
like any serial port. Ending stdin (or killing this process) closes the master: the driver then sees the
port hang up, as when a USB-serial reader is unplugged.
"""
import errno
import json
import os
import select
import sys
import tty


def main() -> int:
    master, slave = os.openpty()
    # Raw on both sides: no echo, no CR/LF translation, no signals from control bytes.
    tty.setraw(master)
    tty.setraw(slave)
    path = os.ttyname(slave)
    os.write(2, (json.dumps({"path": path}) + "\n").encode())
    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    # The slave stays open here too, so the master never reads EIO while the driver has the port closed.
    while True:
        readable, _, _ = select.select([master, stdin], [], [])
        if master in readable:
            try:
                data = os.read(master, 65536)
            except OSError as e:
                if e.errno != errno.EIO:
                    raise
                data = b""
            if data:
                os.write(stdout, data)
        if stdin in readable:
            data = os.read(stdin, 65536)
            if not data:
                break
            view = memoryview(data)
            while view:
                n = os.write(master, view)
                view = view[n:]
    os.close(master)
    os.close(slave)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(0)
