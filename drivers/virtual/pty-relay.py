#!/usr/bin/env python3
"""Pseudo-terminal for the virtual reader.

Node has no openpty(), so this helper opens a pty pair, prints the slave's path as one JSON line on stderr,
and relays the master side over its own stdin/stdout as raw bytes. The driver under test opens the slave
like any serial port. Ending stdin (or killing this process) closes the master: the driver then sees the
port hang up, as when a USB-serial reader is unplugged.

With --report-line, every chunk read from the master goes out as a record that also says how the driver has
set the line when the bytes arrived (Linux ptys share one termios between master and slave):
  b"L" | speed in bit/s (4, BE) | c_cflag (4, BE) | length (4, BE) | bytes
The virtual ID card reader needs it: a real UART at another speed sees only framing errors (idcard-link.md §2).
"""
import errno
import json
import os
import select
import struct
import sys
import termios
import tty

SPEEDS = {getattr(termios, "B%d" % n): n for n in (50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600) if hasattr(termios, "B%d" % n)}


def line_record(master: int, data: bytes) -> bytes:
    attrs = termios.tcgetattr(master)
    speed = SPEEDS.get(attrs[5], 0)
    return b"L" + struct.pack(">III", speed, attrs[2] & 0xFFFFFFFF, len(data)) + data


def main() -> int:
    report_line = "--report-line" in sys.argv[1:]
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
                out = memoryview(line_record(master, data) if report_line else data)
                while out:
                    n = os.write(stdout, out)
                    out = out[n:]
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
