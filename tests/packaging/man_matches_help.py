#!/usr/bin/env python3
"""Checks that concord(1), `concord --help` and README.md name the same commands and options.

usage: man_matches_help.py CHECK CONCORD MAN_PAGE README
  CHECK  commands  every command in `concord --help` has a section in the man page, and
                   every section under COMMANDS is a command that `concord --help` lists
         options   for each command, the long options of `concord COMMAND --help` (but
                   --help) are the ones its man page section names
         readme    README.md shows every command of `concord --help` as `concord COMMAND`
Exit 0 when they agree; 1 with one line per difference, saying what to add where.
"""
import re
import subprocess
import sys


def help_text(concord, *args):
    done = subprocess.run([concord, *args, "--help"], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        sys.exit(f"`concord {' '.join(args)} --help` exited {done.returncode}: {done.stderr}")
    return done.stdout


def help_commands(concord):
    """The commands listed under 'commands:' in `concord --help`, in order."""
    commands, listing = [], False
    for line in help_text(concord).splitlines():
        if line.strip() == "commands:":
            listing = True
        elif listing and re.match(r"^  [a-z]", line):
            commands.append(line.split()[0])
        elif listing and line and not line.startswith(" "):
            listing = False
    return commands


def long_options(text):
    return set(re.findall(r"(?<![\w-])--([a-z][a-z-]*)", text)) - {"help"}


def help_options(concord, command):
    """Long options in the option table of `concord COMMAND --help` (not the usage line)."""
    text = help_text(concord, command)
    table = text.split("\n\n", 1)[1] if "\n\n" in text else text
    return long_options(table)


def man_sections(man_page):
    """{command: text of its .SS section} for the sections under .SH COMMANDS."""
    sections, current, in_commands = {}, None, False
    with open(man_page, encoding="utf-8") as f:
        for line in f:
            if line.startswith(".SH"):
                in_commands = line.split(None, 1)[1].strip().strip('"') == "COMMANDS"
                current = None
            elif in_commands and line.startswith(".SS"):
                current = line.split(None, 1)[1].strip().strip('"')
                sections[current] = ""
            elif current is not None:
                # roff writes a hyphen as \- ; undo it so options read as on the command line
                sections[current] += line.replace("\\-", "-")
    return sections


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    check, concord, man_page, readme = sys.argv[1:]
    commands = help_commands(concord)
    if not commands:
        sys.exit("`concord --help` lists no commands under 'commands:'")
    sections = man_sections(man_page)
    problems = []
    if check == "commands":
        for c in commands:
            if c not in sections:
                problems.append(f"{man_page}: no '.SS {c}' section under COMMANDS, but "
                                f"`concord --help` lists '{c}'; add one")
        for s in sections:
            if s not in commands:
                problems.append(f"{man_page}: section '.SS {s}' names a command that "
                                f"`concord --help` does not list; remove it or add the command")
    elif check == "options":
        for c in commands:
            if c not in sections:
                problems.append(f"{man_page}: no section for '{c}' (see the commands check)")
                continue
            in_help, in_man = help_options(concord, c), long_options(sections[c])
            for o in sorted(in_help - in_man):
                problems.append(f"{man_page}: section '{c}' lacks --{o}, which "
                                f"`concord {c} --help` lists; describe it")
            for o in sorted(in_man - in_help):
                problems.append(f"{man_page}: section '{c}' names --{o}, which "
                                f"`concord {c} --help` does not list")
    elif check == "readme":
        with open(readme, encoding="utf-8") as f:
            text = f.read()
        for c in commands:
            if not re.search(rf"\bconcord {re.escape(c)}\b", text):
                problems.append(f"{readme}: never shows `concord {c}`, which "
                                f"`concord --help` lists; add it to the command list")
    else:
        sys.exit(f"unknown check '{check}'; expected commands, options or readme")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
