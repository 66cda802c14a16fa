"""The tables the docs quote say where they come from: the commit, the date, the machine and the command
(``benchmarks/run_all.py`` writes them so), and run_all knows every one of them."""

import pathlib
import re
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


@pytest.mark.parametrize("name", QUOTED)
def test_a_quoted_table_made_by_run_all_is_headed_by_a_clean_commit_date_machine_and_command(name):
    first = (DOCS / name).read_text(encoding="utf-8").splitlines()[0]
    if first.startswith("# commit"):  # tables from before run_all have no header yet
        assert HEADER.match(first) and "(clean)" in first, f"{name} starts with {first!r}"


def test_run_all_writes_every_quoted_table_and_only_those():
    assert QUOTED and set(QUOTED) == {f"{table.name}.txt" for table in run_all().TABLES}


def test_run_alls_header_names_this_checkout_and_the_command():
    command = run_all().TABLES[0].command()
    header = run_all().provenance(command)
    assert HEADER.match(header), header
    assert header.endswith("command: " + " ".join(command))
