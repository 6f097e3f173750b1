"""Runs a command in a pseudo-terminal, answers one prompt, reports what the
terminal showed. Used to test the CLI's no-echo password prompt.

usage: pty-run.py PROMPT ANSWER -- COMMAND...   (prints JSON {output, status})
"""
import json
import os
import pty
import select
import sys
import time

prompt, answer = sys.argv[1].encode(), sys.argv[2].encode()
command = sys.argv[sys.argv.index("--") + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

output = b""
answered = False
deadline = time.time() + 30
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if ready:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    if not answered and prompt in output:
        time.sleep(0.2)
        os.write(fd, answer + b"\r")
        answered = True
_, status = os.waitpid(pid, 0)
print(json.dumps({"output": output.decode("utf-8", "replace"), "status": os.waitstatus_to_exitcode(status), "answered": answered}))
