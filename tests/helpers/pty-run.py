"""Runs a command in a pseudo-terminal, answers its prompts in order,
reports what the terminal showed. Used to test the CLI's no-echo password
prompt (asked twice by `set`).

usage: pty-run.py PROMPT ANSWER [PROMPT ANSWER ...] -- COMMAND...
(prints JSON {output, status, answered})
"""
import json
import os
import pty
import select
import sys
import time

split = sys.argv.index("--")
pairs = sys.argv[1:split]
prompts = [(pairs[i].encode(), pairs[i + 1].encode()) for i in range(0, len(pairs), 2)]
command = sys.argv[split + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

output = b""
answered = 0
searched_from = 0
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
    if answered < len(prompts):
        prompt, answer = prompts[answered]
        at = output.find(prompt, searched_from)
        if at >= 0:
            searched_from = at + len(prompt)
            time.sleep(0.2)
            os.write(fd, answer + b"\r")
            answered += 1
_, status = os.waitpid(pid, 0)
print(json.dumps({"output": output.decode("utf-8", "replace"), "status": os.waitstatus_to_exitcode(status), "answered": answered == len(prompts)}))
