"""The command line on a terminal (pager, width, colour) and piped (plain, full width)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import kg
from kg.results import render_table
from kg.terminal import Terminal
from tests.conftest import MINI

RECORDER = "import sys, pathlib; pathlib.Path(sys.argv[1]).write_text(sys.stdin.read())"


def drained(leader: int) -> str:
    """Everything written to a pseudo-terminal whose other end is closed, then close it."""
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # Linux answers EIO once the other end is closed and all is read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def run_on_a_terminal(args: list[str], environ: dict[str, str]) -> tuple[str, int]:
    """Run kg with its stdout on a pseudo-terminal; what reached the terminal, and the exit code."""
    leader, follower = os.openpty()
    env = {**{k: v for k, v in os.environ.items() if k not in ("PAGER", "KG_PAGER", "NO_COLOR")}, **environ}
    process = subprocess.run([sys.executable, "-m", "kg", *args], stdout=follower, stderr=subprocess.DEVNULL,
                             env=env, timeout=120)
    os.close(follower)
    return drained(leader), process.returncode


def test_long_output_on_a_terminal_goes_through_kg_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    pager = f"{sys.executable} -c '{RECORDER}' {paged}"
    screen, code = run_on_a_terminal(["relations"], {"KG_PAGER": pager, "PAGER": "false", "LINES": "10",
                                                     "COLUMNS": "120", "NO_COLOR": "1"})
    assert code == 0 and screen == ""
    assert paged.read_text().startswith("TYPE ")
    assert paged.read_text().count("\n") > len(kg.load().relations())


def test_short_output_and_piped_output_skip_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    pager = f"{sys.executable} -c '{RECORDER}' {paged}"
    screen, _ = run_on_a_terminal(["relations", "-t", "blocks"], {"KG_PAGER": pager, "LINES": "40"})
    assert "blocks" in screen and not paged.exists()
    piped = subprocess.run([sys.executable, "-m", "kg", "relations"], capture_output=True, text=True,
                           env={**os.environ, "KG_PAGER": pager, "LINES": "10"})
    assert piped.stdout.count("\n") == len(kg.load().relations()) + 1 and not paged.exists()


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    screen, _ = run_on_a_terminal(["relations", "-t", "blocks"], {"KG_PAGER": "cat"})
    assert "\x1b[1mTYPE" in screen
    plain, _ = run_on_a_terminal(["relations", "-t", "blocks"], {"KG_PAGER": "cat", "NO_COLOR": "1"})
    assert "\x1b[" not in plain and "TYPE" in plain
    piped = subprocess.run([sys.executable, "-m", "kg", "relations", "-t", "blocks", "--data", str(MINI)],
                           capture_output=True, text=True)
    assert "\x1b[" not in piped.stdout


def test_the_pager_is_chosen_as_git_chooses_it() -> None:
    assert Terminal(tty=True, environ={"PAGER": "more", "KG_PAGER": "less -R"}).pager == ["less", "-R"]
    assert Terminal(tty=True, environ={}).pager == ["less", "-FRX"]
    assert Terminal(tty=True, environ={"KG_PAGER": ""}).pager is None
    assert Terminal(tty=False, environ={"PAGER": "less"}).pager is None


def test_a_narrow_table_wraps_between_ids_never_inside_one() -> None:
    record = {"supporter": "syrian-government", "sources": ["crisis-group-2024", "syria-direct-2024"]}
    assert render_table([record], width=30).splitlines() == [
        "SUPPORTER          SOURCES",
        "syrian-government  crisis-group-2024",
        "                   syria-direct-2024",
    ]
    assert render_table([record]).splitlines()[1] == "syrian-government  crisis-group-2024; syria-direct-2024"


def run_with_stderr_on_a_terminal(args: list[str], **env: str) -> tuple[str, str]:
    """Run kg with stderr on a pseudo-terminal and stdout piped: (stdout, what reached the terminal)."""
    leader, follower = os.openpty()
    process = subprocess.run([sys.executable, "-m", "kg", *args], stdout=subprocess.PIPE, stderr=follower,
                             timeout=120, env={**os.environ, **env})
    os.close(follower)
    return process.stdout.decode("utf-8"), drained(leader)


def test_long_work_shows_a_sign_of_life_on_a_terminal_only(tmp_path: Path) -> None:
    stdout, screen = run_with_stderr_on_a_terminal(["export", "-f", "nt", "--data", str(MINI)])
    assert "exporting as nt…" in screen and "…" not in stdout and stdout.endswith(" .\n")
    piped = subprocess.run([sys.executable, "-m", "kg", "export", "-f", "nt", "--data", str(MINI)],
                           capture_output=True, text=True)
    assert piped.stderr == f"data: {MINI}\n"


def test_progress_is_switched_off_by_no_progress_and_quiet(tmp_path: Path) -> None:
    stdout, screen = run_with_stderr_on_a_terminal(["plot", "network", "-o", str(tmp_path / "n.png"),
                                                    "--data", str(MINI)])
    assert "drawing the network…" in screen and stdout == f"wrote {tmp_path / 'n.png'}\n"
    stdout, screen = run_with_stderr_on_a_terminal(["store", str(tmp_path / "store"), "--data", str(MINI)])
    assert "storing in" in screen and stdout.startswith("stored ")
    for args, env in [(["export", "-f", "nt"], {"NO_PROGRESS": "1"}), (["--quiet", "export", "-f", "nt"], {})]:
        stdout, screen = run_with_stderr_on_a_terminal([*args, "--data", str(MINI)], **env)
        assert stdout.endswith(" .\n") and "…" not in screen, (args, screen)
        assert screen.replace("\r\n", "\n") == f"data: {MINI}\n"
