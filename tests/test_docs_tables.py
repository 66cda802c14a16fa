"""The tables the docs quote say where they come from: the commit, the date, the machine and the command
(``benchmarks/run_all.py`` writes them so), and run_all knows every one of them."""

import pathlib
import re
import subprocess
import sys

import pytest

DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs"
HEADER = re.compile(r"# commit [0-9a-f]{40} \((clean|dirty)\), \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, .+ \(\d+ cores\), "
                    r"command: python benchmarks/\w+\.py( .*)?$")
QUOTED = sorted({name for page in DOCS.glob("*.rst")
                 for name in re.findall(r"literalinclude:: (\w+\.txt)", page.read_text(encoding="utf-8"))})


def run_all():
    sys.path.insert(0, str(DOCS.parent / "benchmarks"))
    try:
        import run_all
    finally:
        sys.path.pop(0)
    return run_all


def header(name):
    return (DOCS / name).read_text(encoding="utf-8").splitlines()[0]


@pytest.mark.parametrize("name", QUOTED)
def test_every_quoted_table_is_headed_by_a_clean_commit_date_machine_and_command(name):
    assert HEADER.match(header(name)) and "(clean)" in header(name), f"{name} starts with {header(name)!r}"


@pytest.mark.parametrize("name", QUOTED)
def test_a_tables_commit_is_in_this_checkouts_history(name):
    """A table measured on a commit that never landed (a rebase, another branch) describes no code here."""
    if not (DOCS.parent / ".git").exists():
        pytest.skip("not a git checkout")
    commit = header(name).split()[2]
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=DOCS.parent,
                             capture_output=True, text=True).stdout.strip()
    if shallow == "true":
        pytest.skip("a shallow clone holds too little history to tell")
    ancestor = subprocess.run(["git", "merge-base", "--is-ancestor", commit, "HEAD"], cwd=DOCS.parent,
                              capture_output=True)
    assert ancestor.returncode == 0, f"{name} was measured on {commit}, which is not in this history"


def test_run_all_writes_every_quoted_table_and_only_those():
    assert QUOTED and set(QUOTED) == {f"{table.name}.txt" for table in run_all().TABLES}


def test_run_alls_header_names_this_checkout_and_the_command():
    command = run_all().TABLES[0].command()
    header = run_all().provenance(command)
    assert HEADER.match(header), header
    assert header.endswith("command: " + " ".join(command))
