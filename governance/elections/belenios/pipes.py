"""Secrets handed to `belenios-tool` through pipes: never in a file, never on a command line.

The tool reads a voter's private credential and their ranks from files it is named. Written to a
scratch folder, they would touch the server's disk (deleted, but not gone from it); on the command
line, anyone on the host could read them in the process list. A pipe's `/dev/fd/N` path is a file
name the tool can open whose content lives only in the kernel's buffer until read.
"""

import os
import subprocess
import threading


def placeholder(index):
    """What an argument says where the `index`th secret's path goes."""
    return f"<secret {index}>"


def _feed(descriptor, text):
    try:
        with os.fdopen(descriptor, "w") as pipe:
            pipe.write(text)
    except BrokenPipeError:
        pass  # the tool stopped without reading it: its error says why


def run(args, secrets, **options):
    """`subprocess.run(args, **options)` with each `placeholder(i)` in `args` replaced by the path of
    a pipe that carries `secrets[i]`. Output is captured as text; the completed process is returned."""
    pipes = [os.pipe() for _ in secrets]
    paths = {placeholder(i): f"/dev/fd/{read}" for i, (read, _) in enumerate(pipes)}
    for mark, path in paths.items():
        args = [str(arg).replace(mark, path) for arg in args]
    try:
        process = subprocess.Popen(
            args,
            pass_fds=[read for read, _ in pipes],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **options,
        )
    except BaseException:
        for read, write in pipes:
            os.close(read)
            os.close(write)
        raise
    for read, _ in pipes:
        os.close(read)
    feeders = [
        threading.Thread(target=_feed, args=(write, text)) for (_, write), text in zip(pipes, secrets, strict=True)
    ]
    for feeder in feeders:
        feeder.start()
    stdout, stderr = process.communicate()
    for feeder in feeders:
        feeder.join()
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)
