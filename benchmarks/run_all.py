"""Rerun every benchmark whose table the docs or the README quote, and write each table with its provenance.

Run: ``python benchmarks/run_all.py [--quick] [--only NAME ...] [--out DIR] [--data-dir DIR]``

Each table (``docs/NAME.txt`` by default) is what its command printed, under one header line that says where
it comes from::

    # commit 1a2b3c4d5e6f (clean), 2026-12-06 04:10 UTC, Intel(R) Xeon(R) ... (2 cores), command: python ...

The commit is the checkout the run starts from ("dirty" where files other than the tables themselves differ
from it: then the table is not that commit's). Benchmarks run one at a time (two PyTorch processes on two
cores slow each other tenfold), each with a line of progress on standard error. ``--quick`` runs every
command on small data, a smoke test of the whole set in a few minutes; its tables go to a temporary folder
(or ``--out``), never over the docs'.
"""

import argparse
import dataclasses
import datetime
import os
import pathlib
import platform
import shlex
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
DOCS = ROOT / "docs"
DEFAULT_DATA_DIR = ROOT.parent / "shared" / "data"


@dataclasses.dataclass(frozen=True)
class Table:
    """A quoted table: its file's name, the benchmark and its arguments, and the arguments of a quick run."""

    name: str
    script: str
    args: tuple = ()
    quick: tuple = ()
    data: bool = False  # takes --data-dir

    def command(self, quick=False, data_dir=None):
        args = [*self.args, *(self.quick if quick else ())]
        if self.data and data_dir is not None and pathlib.Path(data_dir) != DEFAULT_DATA_DIR:
            args += ["--data-dir", str(data_dir)]
        return ["python", f"benchmarks/{self.script}", *args]


SETS_QUICK = ("--sets", "BasicMotions")
#: Every table the docs quote, in the order they run (the shortest first, for a quick failure).
TABLES = (
    Table("bench_noise_kind", "bench_noise_kind.py"),
    Table("bench_levels", "bench_levels.py"),
    Table("bench_level_reads", "bench_level_reads.py"),
    Table("bench_generator", "bench_generator.py", quick=("--n-samples", "1000", "--repeats", "1")),
    Table("bench_training", "bench_training.py",
          quick=("--n-samples", "2000", "--epochs", "1", "--repeats", "1")),
    Table("bench_memory", "bench_training.py", ("--memory",), quick=("--memory-samples", "5000")),
    Table("ablation_table", "ablation_seed.py", quick=("--n-train", "2000", "--n-test", "200")),
    Table("bench_real", "bench_real.py", data=True,
          quick=("--tasks", "BasicMotions", "seed", "--seed-train", "2000", "--n-test", "200")),
    Table("bench_quality", "bench_quality.py", ("--task", "seed"), data=True,
          quick=("--n-train", "2000", "--n-test", "200")),
    Table("bench_quality_nonlinear", "bench_quality.py", ("--task", "nonlinear"), data=True,
          quick=("--n-train", "1000", "--n-test", "200")),
    Table("bench_self", "bench_quality.py", ("--task", "self"), data=True,
          quick=("--n-train", "2000", "--n-test", "200")),
    Table("bench_noise", "bench_noise.py", ("--part", "matched"), data=True,
          quick=(*SETS_QUICK, "--kinds", "white0.5")),
    Table("bench_self_noise", "bench_without_clean.py", data=True, quick=(*SETS_QUICK, "--kinds", "white0.5")),
    Table("bench_files", "bench_files.py", data=True, quick=(*SETS_QUICK, "--kinds", "white0.5")),
    Table("bench_files_heldout", "bench_files.py", ("--part", "held-out"), quick=("--max-cells", "2")),
    # the speed and memory section of bench_files alone, minutes where the whole table takes half an hour
    Table("bench_files_speed", "bench_files.py", ("--part", "speed"), data=True),
    Table("bench_collections", "bench_collections.py", data=True, quick=("--sets", "BasicMotions")),
    Table("bench_long", "bench_long.py", quick=("--sizes", "1e4", "--recording-length", "20000")),
    Table("bench_pipelines", "bench_pipelines.py", quick=("--draws", "1", "--levels", "1.0")),
    Table("bench_scale", "bench_scale.py", quick=("--sizes", "1e6", "--chunks", "300000", "--skip-fit")),
    Table("bench_speed", "bench_speed.py", quick=("--cases", "file:one")),
)


def provenance(command):
    """The header line of a table made by `command` now, on this checkout and machine."""
    commit = _git("rev-parse", "HEAD") or "unknown"
    # the tables a run has already written are its output, not a change to the code that makes them
    tables = [f":(exclude)docs/{table.name}.txt" for table in TABLES]
    dirty = "dirty" if _git("status", "--porcelain", "--untracked-files=no", "--", ".", *tables) else "clean"
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"# commit {commit} ({dirty}), {when}, {machine()}, command: {shlex.join(command)}"


def machine():
    """The CPU's model and the cores this process may use."""
    model = platform.processor() or platform.machine()
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{model} ({cores} cores)"


def _git(*args):
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def run(table, out, quick=False, data_dir=None):
    """Run `table`'s command from the checkout's root and write its output, headed by its provenance, into
    `out`/NAME.txt (only once it has finished: a failed run leaves the old table). Returns the seconds."""
    command = table.command(quick, data_dir)
    header = provenance(command)
    start = time.perf_counter()
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=environment)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"run_all: {shlex.join(command)} failed with status {done.returncode} after {seconds:.0f} s")
    (out / f"{table.name}.txt").write_text(f"{header}\n{done.stdout.strip()}\n")
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small data: a smoke run of every benchmark")
    parser.add_argument("--only", nargs="+", choices=[t.name for t in TABLES], help="these tables alone")
    parser.add_argument("--out", type=pathlib.Path, default=None,
                        help="where the tables go (default: docs/, or a temporary folder with --quick)")
    parser.add_argument("--data-dir", type=pathlib.Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    out = args.out or (pathlib.Path(tempfile.mkdtemp(prefix="skdenoise-bench-")) if args.quick else DOCS)
    out.mkdir(parents=True, exist_ok=True)
    tables = [t for t in TABLES if args.only is None or t.name in args.only]
    for index, table in enumerate(tables, start=1):
        print(f"[{index}/{len(tables)}] {shlex.join(table.command(args.quick, args.data_dir))} ...", file=sys.stderr,
              flush=True)
        seconds = run(table, out, args.quick, args.data_dir)
        print(f"[{index}/{len(tables)}] {table.name}.txt written in {seconds:.0f} s", file=sys.stderr, flush=True)
    print(f"tables in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
