#!/usr/bin/env python3
"""RNNLab's reliability suite: the real `rnnlab` command on real HDF5 files.

Each scenario is seeded (random.Random("SEED-SCENARIO")), so a figure can be
reproduced with the same --seed; each prints its tries, failures and seconds.

  python3 Tests/Reliability/reliability.py --rnnlab .build/release/rnnlab [--quick]
      [--markdown docs/reliability.md] [--readme README.md] [--only kill,damage,...]

--quick runs fewer repetitions (inside `make test`); without it the full
counts of `make reliability` run. Standard library only, plus h5dump from
hdf5-tools (an independent reader: weights and metrics are compared through it,
bit for bit, as hexadecimal floats).
"""
import argparse
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SWEEP = "adding-cells"          # its smoke profile: 3 cells x 3 seeds, 2 epochs, seconds in all
PROFILE = "smoke"


# ----------------------------------------------------------------------------- helpers

class Scenario:
    """One scenario's figures: every try is a pass or a failure with a reason."""

    def __init__(self, key, title):
        self.key, self.title = key, title
        self.tries = 0
        self.failures = []          # (try label, reason)
        self.notes = []             # measured facts shown under the table
        self.seconds = 0.0
        self.figures = {}           # measured counts for the README's line

    @property
    def failed(self):
        """The number of tries (or checks across tries) that failed at least once."""
        return len({label for label, _ in self.failures})

    def check(self, label, condition, reason):
        if not condition:
            self.failures.append((label, reason))
            print(f"    FAIL {label}: {reason}", flush=True)
        return condition


def run(cmd, cwd, env=None, timeout=600, limit_file_size=None):
    """Runs a command; returns (exit code, stdout+stderr). A negative code is a signal."""
    def preexec():
        if limit_file_size is not None:
            import resource
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # write() then fails with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, preexec_fn=preexec if limit_file_size else None)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return "timeout", (e.stdout or b"").decode("utf-8", "replace")


def base_env():
    env = dict(os.environ)
    env["OPENBLAS_NUM_THREADS"] = "1"
    env["RNNLAB_PLAIN"] = "1"
    return env


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def fingerprint(path):
    """SHA-256 of h5dump's text of /final (metrics) and /weights/final, floats as exact hex (%a)."""
    p = subprocess.run(["h5dump", "-m", "%a", "-g", "/final", "-g", "/weights/final", path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        return None
    text = p.stdout.decode("utf-8", "replace").split("\n", 1)[-1]   # drop the line naming the file
    return hashlib.sha256(text.encode()).hexdigest()


def run_files(results, experiment=SWEEP):
    runs = os.path.join(results, experiment, "runs")
    if not os.path.isdir(runs):
        return {}
    return {n[:-3]: os.path.join(runs, n) for n in sorted(os.listdir(runs)) if n.endswith(".h5")}


def leftovers(results, experiment=SWEEP):
    runs = os.path.join(results, experiment, "runs")
    names = os.listdir(runs) if os.path.isdir(runs) else []
    return [n for n in names if ".tmp-" in n], [n for n in names if n.endswith(".lock")]


def summary_counts(results, experiment=SWEEP):
    """arm → (planned, complete, diverged) from summary.csv."""
    path = os.path.join(results, experiment, "summary.csv")
    if not os.path.exists(path):
        return None
    import csv
    with open(path) as f:
        rows = list(csv.DictReader(f))
    # Exploded runs (finished far worse than the trivial baseline, see docs/experiments.md) are finished and not
    # diverged: counted with the complete ones here.
    return {r["arm"]: (int(r["planned"]), int(r["complete"]) + int(r.get("exploded") or 0), int(r["diverged"])) for r in rows}


def children_of(pid):
    """Living (not zombie) processes whose parent is pid, from /proc/*/stat."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def descendants(pid):
    found, frontier = [], [pid]
    while frontier:
        kids = [k for p in frontier for k in children_of(p)]
        found += kids
        frontier = kids
    return found


def lock_owner_alive(path):
    try:
        pid = int(open(path).read().split()[0])
    except (OSError, ValueError, IndexError):
        return False
    return alive(pid)


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def kill_tree(proc):
    """SIGKILL the sweep and every process it started, at one moment (as a power cut or a preemption).

    The runner's children sit in process groups of their own, so killing the group is not enough: the
    parent is stopped first (it can start nothing more), then it and all its descendants are killed."""
    try:
        os.kill(proc.pid, signal.SIGSTOP)
    except ProcessLookupError:
        proc.wait()
        return
    victims = descendants(proc.pid)
    for pid in victims + [proc.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(alive(p) for p in victims):
        time.sleep(0.01)


class Context:
    def __init__(self, args, work):
        self.rnnlab = os.path.abspath(args.rnnlab)
        self.quick = args.quick
        self.seed = args.seed
        self.work = work
        self.data = args.data
        self.no_mount = args.no_mount
        self.baseline = None          # results directory of an uninterrupted sweep
        self.fingerprints = {}        # run id → fingerprint in the uninterrupted sweep
        self.train_seconds = None
        self.report_seconds = None

    def rng(self, scenario):
        return random.Random(f"{self.seed}-{scenario}")

    def project(self, name, experiments=(SWEEP,)):
        """A working directory with copies of committed experiment files."""
        path = os.path.join(self.work, name)
        os.makedirs(os.path.join(path, "experiments"), exist_ok=True)
        for e in experiments:
            shutil.copy(os.path.join(ROOT, "experiments", f"{e}.yaml"), os.path.join(path, "experiments"))
        return path

    def sweep_cmd(self, results, jobs=2, experiment=SWEEP, extra=()):
        return [self.rnnlab, "run", experiment, "--profile", PROFILE, "--jobs", str(jobs), "--results", results,
                "--data-dir", self.data, *extra]


def ensure_baseline(ctx):
    """An uninterrupted smoke sweep with --jobs 2: the reference for every comparison."""
    if ctx.baseline:
        return
    project = ctx.project("baseline")
    results = os.path.join(project, "R")
    start = time.time()
    proc = subprocess.Popen(ctx.sweep_cmd(results), cwd=project, env=base_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    report_start = None
    while proc.poll() is None:
        if children_of(proc.pid):
            report_start = time.time()       # the last moment a run was still going
        time.sleep(0.002)
    end = time.time()
    output = proc.stdout.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        sys.exit(f"the uninterrupted sweep failed ({proc.returncode}):\n{output}")
    ctx.baseline = results
    ctx.fingerprints = {rid: fingerprint(p) for rid, p in run_files(results).items()}
    if len(ctx.fingerprints) != 9 or None in ctx.fingerprints.values():
        sys.exit(f"the uninterrupted sweep left {len(ctx.fingerprints)} readable run files, not 9")
    ctx.train_seconds = (report_start or end) - start
    ctx.report_seconds = end - (report_start or end)
    print(f"  uninterrupted sweep: {end - start:.2f} s ({ctx.train_seconds:.2f} s runs, "
          f"{ctx.report_seconds * 1000:.0f} ms reports)", flush=True)


def compare_with_baseline(s, label, results):
    files = run_files(results)
    s.check(label, set(files) == set(ctx_global.fingerprints), f"run files {sorted(files)} differ from the plan")
    differing = [rid for rid, path in files.items() if fingerprint(path) != ctx_global.fingerprints.get(rid)]
    s.check(label, not differing, f"final metrics or weights differ from the uninterrupted sweep: {differing}")


# ----------------------------------------------------------------------------- scenarios

def scenario_kill(ctx):
    s = Scenario("kill", "SIGKILL at random moments of a smoke sweep with --jobs 2, then a resume")
    ensure_baseline(ctx)
    rng = ctx.rng("kill")
    tries = 6 if ctx.quick else 20
    kinds = [("step", "checkpoint", "report")[i % 3] for i in range(tries)]
    landed = {"training": 0, "checkpoint write": 0, "report generation": 0, "other": 0}
    stale = {"temporary files": 0, "lock files": 0, "stale locks of finished runs, left in place": 0}
    for i, kind in enumerate(kinds):
        label = f"try {i + 1} ({kind})"
        project = ctx.project(f"kill-{i + 1}")
        results = os.path.join(project, "R")
        runs = os.path.join(results, SWEEP, "runs")
        proc = subprocess.Popen(ctx.sweep_cmd(results), cwd=project, env=base_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        start = time.time()
        where = "other"
        if kind == "step":
            delay = rng.uniform(0.15, 0.9) * ctx.train_seconds
            while proc.poll() is None and time.time() - start < delay:
                time.sleep(0.001)
            if proc.poll() is None and children_of(proc.pid):
                where = "training"
            kill_tree(proc)
        elif kind == "checkpoint":
            # From a random moment on, kill as soon as a run file is being written (its temporary file exists).
            armed = start + rng.uniform(0.1, 0.85) * ctx.train_seconds
            known, refreshed = [], 0.0
            while proc.poll() is None:
                if time.time() - refreshed > 0.02:
                    known, refreshed = descendants(proc.pid), time.time()
                if time.time() >= armed:
                    try:
                        if any(".tmp-" in n for n in os.listdir(runs)):
                            for pid in known:          # the writers first, at once
                                try:
                                    os.kill(pid, signal.SIGKILL)
                                except ProcessLookupError:
                                    pass
                            break
                    except OSError:
                        pass
            kill_tree(proc)
            if leftovers(results)[0]:
                where = "checkpoint write"       # the temporary file is proof it was cut mid-write
        else:
            # Once every run file is finished and no run process is left, wait a random part of the report time.
            delay_fraction, armed = rng.uniform(0.0, 0.7), None
            while proc.poll() is None:
                if armed is None and len([n for n in (os.listdir(runs) if os.path.isdir(runs) else [])
                                          if n.endswith(".h5")]) == len(ctx.fingerprints) \
                        and not leftovers(results)[1] and not children_of(proc.pid):
                    armed = time.time() + delay_fraction * ctx.report_seconds
                if armed is not None and time.time() >= armed:
                    break
                time.sleep(0.001)
            alive = proc.poll() is None
            kill_tree(proc)
            if alive and not os.path.exists(os.path.join(results, "README.md")):
                where = "report generation"     # killed before the last report file was written
        landed[where] += 1
        temporaries, locks = leftovers(results)
        stale["temporary files"] += len(temporaries)
        stale["lock files"] += len(locks)
        code, output = run(ctx.sweep_cmd(results), cwd=project, env=base_env(), timeout=600)
        s.tries += 1
        ok = s.check(label, code == 0, f"the resume exited with {code}:\n{output[-2000:]}")
        ok &= s.check(label, "being computed by another process" not in output, "a stale lock blocked a run")
        temporaries, locks = leftovers(results)
        ok &= s.check(label, not temporaries, f"temporary files left after the resume: {temporaries}")
        live = [n for n in locks if lock_owner_alive(os.path.join(runs, n))]
        ok &= s.check(label, not live, f"lock files of living processes after the resume: {live}")
        stale["stale locks of finished runs, left in place"] += len(locks)
        ok &= s.check(label, os.path.exists(os.path.join(results, SWEEP, "REPORT.md")), "no REPORT.md after the resume")
        compare_with_baseline(s, label, results)
        print(f"  {label}: killed in {where}; {len(leftovers(results)[0])} leftovers; "
              f"{'ok' if ok and not [f for f in s.failures if f[0] == label] else 'FAILED'}", flush=True)
    s.notes.append("where the kills landed (observed, not intended): "
                   + ", ".join(f"{k} {v}" for k, v in landed.items() if v))
    kept = stale["stale locks of finished runs, left in place"]
    s.notes.append(f"left by the kills: {stale['temporary files']} temporary files (removed by the resumes) and "
                   f"{stale['lock files']} lock files of dead processes (taken over by the resumes"
                   + (f"; {kept} of runs that had already finished were left in place, harmless: their owner is dead, "
                      "so any later run takes them over)" if kept else ")"))
    s.figures["left behind"] = kept
    return s


def h5_offset(path, dataset):
    """(offset, size) in the file of a dataset's raw values."""
    p = subprocess.run(["h5dump", "-p", "-H", "-d", dataset, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    text = p.stdout.decode()
    size, offset = re.search(r"SIZE (\d+)", text), re.search(r"OFFSET (\d+)", text)
    if size and offset:
        return int(offset.group(1)), int(size.group(1))
    # Chunked: find the dataset's bytes in the file.
    with tempfile.NamedTemporaryFile() as tmp:
        subprocess.run(["h5dump", "-d", dataset, "-b", "LE", "-o", tmp.name, path], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        values = open(tmp.name, "rb").read()
    at = open(path, "rb").read().find(values) if values else -1
    return (at, len(values)) if at >= 0 else None


def h5_names(path, group):
    p = subprocess.run(["h5ls", f"{path}/{group}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return [line.split()[0] for line in p.stdout.decode().splitlines() if line.strip()]


def record_files(results, experiment=SWEEP):
    runs = os.path.join(results, experiment, "runs")
    if not os.path.isdir(runs):
        return {}
    return {n[:-5]: os.path.join(runs, n) for n in sorted(os.listdir(runs)) if n.endswith(".json")}


def scenario_damage(ctx):
    s = Scenario("damage", "Damaged run files and run records: detected, named, moved aside, recomputed or re-recorded, "
                 "never in a report")
    ensure_baseline(ctx)
    rng = ctx.rng("damage")
    counts = {"truncated": 3, "superblock byte flipped": 2, "metrics byte flipped": 3, "weights byte flipped": 2,
              "zero bytes": 1, "another format": 1, "record truncated": 2, "record byte flipped": 3,
              "record emptied": 1} if ctx.quick else \
             {"truncated": 10, "superblock byte flipped": 10, "metrics byte flipped": 10, "weights byte flipped": 10,
              "zero bytes": 2, "another format": 4, "record truncated": 10, "record byte flipped": 20,
              "record emptied": 2}
    detected_by = {"libhdf5 or the format": 0, "checksum": 0, "record": 0}
    harmless = 0
    n = 0
    for kind, count in counts.items():
        for _ in range(count):
            n += 1
            label = f"case {n} ({kind})"
            project = ctx.project(f"damage-{n}")
            results = os.path.join(project, "R")
            shutil.copytree(ctx.baseline, results)
            rid, path = rng.choice(sorted(run_files(results).items()))
            record = record_files(results)[rid]
            s.tries += 1
            before = len(s.failures)
            if kind.startswith("record"):
                # A damaged record: the report names it and leaves the run out; the next run moves it aside and
                # records the run again from its (intact) run file, to the same bytes.
                original = open(record, "rb").read()
                data = bytearray(original)
                if kind == "record truncated":
                    cut = rng.randrange(0, len(data))
                    data, what = data[:cut], f"cut at byte {cut} of {len(data)}"
                elif kind == "record byte flipped":
                    at = rng.randrange(0, len(data))
                    data[at] ^= rng.randrange(1, 256)
                    what = f"byte {at}"
                else:
                    data, what = bytearray(), "0 bytes"
                with open(record, "wb") as f:
                    f.write(data)
                code, output = run([ctx.rnnlab, "report", SWEEP, "--profile", PROFILE, "--results", results],
                                   cwd=project, env=base_env(), timeout=120)
                named = record in output and "not trusted" in output
                if not named:
                    # Undetected damage is acceptable only where the record still reads as the same values.
                    shown = run([ctx.rnnlab, "show", record, "--json"], cwd=project, env=base_env())
                    shutil.copy(os.path.join(ctx.baseline, SWEEP, "runs", rid + ".json"), record + ".orig.json")
                    reference = run([ctx.rnnlab, "show", record + ".orig.json", "--json"], cwd=project, env=base_env())
                    os.remove(record + ".orig.json")
                    if s.check(label, code == 0 and shown[0] == 0 and shown[1] == reference[1],
                               f"{what}: not detected and not harmless:\n{output[-1500:]}"):
                        harmless += 1
                        s.notes.append(f"undetected: {kind}, {what} (the record reads back as the same values)")
                        print(f"  {label}: {what}: undetected, and the record reads as the same values", flush=True)
                    continue
                detected_by["record"] += 1
                s.check(label, code == 0, f"rnnlab report exited with {code}")
                total = sum(c + d for _, c, d in (summary_counts(results) or {}).values())
                s.check(label, total == 8, f"the report counts {total} finished runs, not 8")
                code, output = run(ctx.sweep_cmd(results, jobs=1), cwd=project, env=base_env(), timeout=300)
                s.check(label, code == 0, f"rnnlab run exited with {code}:\n{output[-1500:]}")
                moved = re.search(re.escape(record) + r"\.corrupt-[0-9-]+", output)
                s.check(label, moved is not None and os.path.exists(moved.group(0)),
                        f"no log line naming {record} moved aside:\n{output[-1500:]}")
                s.check(label, open(record, "rb").read() == original, "the record written again differs from the original")
                total = sum(c for _, c, _ in (summary_counts(results) or {}).values())
                s.check(label, total == 9, f"after recording again, the report counts {total} complete runs, not 9")
                print(f"  {label}: {what}: {'ok' if len(s.failures) == before else 'FAILED'}", flush=True)
                continue
            # A damaged run file whose record is gone (a run file is the only evidence of a run without a record).
            os.remove(record)
            data = bytearray(open(path, "rb").read())
            what = ""
            if kind == "truncated":
                cut = rng.randrange(0, len(data))
                data, what = data[:cut], f"cut at byte {cut} of {len(data)}"
            elif kind == "superblock byte flipped":
                at = rng.randrange(0, 96)
                data[at] ^= rng.randrange(1, 256)
                what = f"byte {at}"
            elif kind in ("metrics byte flipped", "weights byte flipped"):
                if kind == "weights byte flipped":
                    group = rng.choice(["/weights/final", "/weights/initial"])
                elif rng.random() < 0.5:
                    group = "/final"
                else:
                    group = rng.choice(["/metrics/epoch", "/metrics/step"])
                names = [nm for nm in h5_names(path, group) if group != "/final" or nm.startswith("test_")]
                dataset = f"{group}/{rng.choice(names)}"
                located = h5_offset(path, dataset)
                if not s.check(label, located is not None, f"could not locate {dataset} in the file"):
                    continue
                offset, size = located
                at = offset + rng.randrange(0, size)
                data[at] ^= rng.randrange(1, 256)
                what = f"{dataset}, byte {at}"
            elif kind == "zero bytes":
                data, what = bytearray(), "0 bytes"
            else:
                other = rng.choice([b"not an HDF5 file\n" * 200, b"{\"run_id\": \"x\"}\n",
                                    bytes(rng.randrange(256) for _ in range(4096)), b"\x89PNG\r\n\x1a\n" + bytes(300)])
                data, what = bytearray(other), f"{len(other)} bytes of another format"
            with open(path, "wb") as f:
                f.write(data)
            damaged_sha = hashlib.sha256(bytes(data)).hexdigest()
            # Status only (reports read records, never run files): the run is corrupt, named with why.
            code, output = run([ctx.rnnlab, "status", SWEEP, "--profile", PROFILE, "--results", results],
                               cwd=project, env=base_env(), timeout=120)
            named = re.search(re.escape(rid) + r"\s+corrupt", output) is not None
            if not named:
                # Undetected damage is acceptable only where it changed nothing that is read.
                intact = fingerprint(path) == ctx.fingerprints[rid] and run(
                    [ctx.rnnlab, "show", path], cwd=project, env=base_env())[0] == 0
                if s.check(label, intact and code == 0, f"{what}: not detected and not harmless:\n{output[-1500:]}"):
                    harmless += 1
                    s.notes.append(f"undetected: {kind}, {what} (the weights and metrics read back are bit-identical "
                                   "and the file reads as before)")
                    print(f"  {label}: {what}: undetected, and nothing read from the file changed", flush=True)
                continue
            s.check(label, code == 0, f"rnnlab status exited with {code}")
            detected_by["checksum" if "checksum mismatch" in output else "libhdf5 or the format"] += 1
            # A run: moved aside (never deleted) and recomputed, bit-identical, with its record again.
            code, output = run(ctx.sweep_cmd(results, jobs=1), cwd=project, env=base_env(), timeout=300)
            s.check(label, code == 0, f"rnnlab run exited with {code}:\n{output[-1500:]}")
            moved = re.search(re.escape(path) + r"\.corrupt-[0-9-]+", output)
            s.check(label, moved is not None, f"no log line naming {path} moved aside:\n{output[-1500:]}")
            if moved:
                aside = moved.group(0)
                s.check(label, os.path.exists(aside) and sha256_file(aside) == damaged_sha,
                        f"{aside} is missing or not the damaged file")
            s.check(label, fingerprint(path) == ctx.fingerprints[rid], "the recomputed run differs from the original")
            s.check(label, os.path.exists(record), "the recomputed run has no record")
            counts_after = summary_counts(results)
            total = sum(c for _, c, _ in (counts_after or {}).values())
            s.check(label, total == 9, f"after recomputing, the report counts {total} complete runs, not 9")
            print(f"  {label}: {what}: {'ok' if len(s.failures) == before else 'FAILED'}", flush=True)
    s.notes.insert(0, "detected by " + ", ".join(f"{k}: {v}" for k, v in detected_by.items())
                   + f"; undetected but harmless (nothing read from the file changed): {harmless}")
    s.figures.update(detected_by)
    s.figures["harmless"] = harmless
    return s


FUZZ_VALUES_WRONG_TYPE = ["[1, 2]", "{a: 1}", "true", "abc", '""', "null", "~", "1.5", "-3", "[]", "{}", "'3'"]
FUZZ_VALUES_NUMBERS = ["-1", "0", "1e308", "1e400", "99999999999999999999999", "-99999999999", "nan", ".inf",
                       "-.inf", "0x10", "1_000_000_000", "2147483648", "1e-320", "4294967297"]
FUZZ_BROKEN = ["  bad: [1, 2", "{", "key: : value", "\tindented: tab", "- item", ": novalue", "'unterminated",
               "a: b: c", "]", "  - [", "&anchor x", "*alias", "%YAML 9.9", "? complex", "!!binary abc"]
FUZZ_UNKNOWN = {"cell": ["lstmm", "transformer", "GRU", "rnn_sigmoid", "rnn"], "data": ["jsb_choral", "imagenet",
                "../../etc/passwd", "MR", "ptb2"], "kind": ["addding", "music", "language_model", "xor", "copy"]}
FUZZ_TEXT = ["é", "日本語", "\u202e", "😀", "\u00a0", "\ufeff", "ß", "\u0000", "Ω≈ç"]


def mutate(text, rng):
    """One to three seeded mutations of an experiment file's text; returns (text, what)."""
    lines = text.split("\n")
    done = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        op = rng.randrange(8)
        content = [i for i, l in enumerate(lines) if l.strip() and not l.lstrip().startswith("#")]
        keyed = [i for i in content if re.match(r"^\s*(- )?[A-Za-z_.]+\s*:", lines[i])]
        valued = [i for i in content if re.match(r"^\s*(- )?[A-Za-z_.]+\s*:\s*\S", lines[i])]
        if op == 0 and content:
            i = rng.choice(content); del lines[i]; done.append("deleted line")
        elif op == 1 and content:
            i = rng.choice(content); lines.insert(i, lines[i]); done.append("duplicated line")
        elif op == 2 and keyed:
            i = rng.choice(keyed)
            m = re.match(r"^(\s*(?:- )?)([A-Za-z_.]+)(.*)$", lines[i])
            key = list(m.group(2))
            j = rng.randrange(len(key))
            how = rng.randrange(4)
            if how == 0 and len(key) > 1: key[j], key[j - 1] = key[j - 1], key[j]
            elif how == 1 and len(key) > 1: del key[j]
            elif how == 2: key.insert(j, rng.choice("abcxyz_"))
            else: key[j] = key[j].upper()
            lines[i] = m.group(1) + "".join(key) + m.group(3); done.append("misspelt key")
        elif op in (3, 4) and valued:
            i = rng.choice(valued)
            m = re.match(r"^(\s*(?:- )?[A-Za-z_.]+\s*:\s*)(.*)$", lines[i])
            value = rng.choice(FUZZ_VALUES_WRONG_TYPE if op == 3 else FUZZ_VALUES_NUMBERS)
            lines[i] = m.group(1) + value; done.append("wrong type" if op == 3 else "out-of-range number")
        elif op == 5:
            i = rng.randrange(len(lines) + 1)
            lines.insert(i, rng.choice(FUZZ_BROKEN)); done.append("broken YAML")
        elif op == 6:
            kind = rng.choice(list(FUZZ_UNKNOWN))
            hits = [i for i, l in enumerate(lines) if re.search(rf"\b{kind}\s*:", l)]
            if hits:
                i = rng.choice(hits)
                lines[i] = re.sub(rf"(\b{kind}\s*:\s*)([A-Za-z_0-9]+)", lambda m: m.group(1) + rng.choice(FUZZ_UNKNOWN[kind]),
                                  lines[i], count=1)
                done.append(f"unknown {kind}")
        elif op == 7 and content:
            i = rng.choice(content)
            j = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:j] + rng.choice(FUZZ_TEXT) + lines[i][j:]; done.append("non-ASCII text")
    return "\n".join(lines), ", ".join(done) or "none"


def scenario_fuzz(ctx):
    s = Scenario("fuzz", "Fuzzed experiment files: accepted as valid, or rejected naming file, line and key")
    rng = ctx.rng("fuzz")
    count = 1000 if ctx.quick else 3000
    sources = sorted(n for n in os.listdir(os.path.join(ROOT, "experiments")) if n.endswith(".yaml"))
    texts = {n: open(os.path.join(ROOT, "experiments", n), encoding="utf-8").read() for n in sources}
    folder = os.path.join(ctx.work, "fuzz")
    os.makedirs(folder, exist_ok=True)
    files = {}
    for i in range(count):
        source = sources[i % len(sources)]
        text, what = mutate(texts[source], rng)
        path = os.path.join(folder, f"m{i + 1:05d}-{source}")
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text)
        files[path] = (what, text.count("\n") + 1)
    accepted = rejected = 0
    slowest = 0.0
    samples = []
    paths = list(files)
    for batch in range(0, len(paths), 250):
        chunk = paths[batch:batch + 250]
        code, output = run([ctx.rnnlab, "validate", "--times", "--tsv"] + chunk, cwd=folder, env=base_env(), timeout=120)
        lines = output.split("\n")[:-1] if output.endswith("\n") else output.split("\n")
        s.check(f"files {batch + 1}-{batch + len(chunk)}", code in (0, 1) and len(lines) == len(chunk),
                f"rnnlab validate exited with {code} after {len(lines)} lines for {len(chunk)} files "
                f"(a crash, a hang or a message of several lines near {chunk[min(len(lines), len(chunk) - 1)]}):\n{output[-1500:]}")
        for path, line in zip(chunk, lines):
            s.tries += 1
            what, line_count = files[path]
            name = os.path.basename(path)
            fields = line.split("\t")
            if not s.check(name, len(fields) == 6 and fields[0] == path, f"({what}) not one line for the file: {line[:300]}"):
                continue
            _, line_number, column, key, message, ms = fields
            slowest = max(slowest, float(ms))
            s.check(name, float(ms) < 2000, f"took {ms} ms")
            if line_number == "ok":
                accepted += 1
                continue
            s.check(name, line_number.isdigit() and 1 <= int(line_number) <= line_count + 1,
                    f"({what}) line '{line_number}' is not a line of the file ({line_count} lines): {message}")
            s.check(name, key != "", f"({what}) message without a key: {line_number}: {message}")
            s.check(name, message != "", f"({what}) empty message")
            rejected += 1
            if len(samples) < 4 and rng.random() < 0.01:
                samples.append(f"{name}:{line_number}:{column}: {key}: {message}")
    s.notes.append(f"{count} mutated files of {', '.join(sources)}: {accepted} accepted as valid, {rejected} rejected "
                   f"with file, line and key; slowest file {slowest:.1f} ms")
    for sample in samples:
        s.notes.append(f"for example: `{sample}`")
    return s


# ----------------------------------------------------------------------------- experiment-file limits
# The classes of experiment files built to hang, crash or mislead `rnnlab validate` (docs/experiments.md, "Limits").

LIMIT_VALUES = 100_000      # ExperimentLimits.maximumValues
LIMIT_DEPTH = 32            # ExperimentLimits.maximumDepth
LIMIT_RUNS = 100_000        # ExperimentLimits.maximumRuns
LIMITS_BASE = """name: limits
task: {kind: adding, length: 20, training_examples: 500, evaluation_examples: 100}
model: {cell: lstm, hidden_size: 16}
training: {epochs: 1, batch_size: 20, optimizer: {kind: adam, learning_rate: 0.01}}
"""
ALL_METRICS = ["mse", "mae", "loss", "perplexity", "bits_per_token", "nll", "frame_accuracy", "accuracy", "string_accuracy",
               "long_range_accuracy", "exact_match", "token_accuracy", "exact_match_len_20", "token_accuracy_len_5",
               "train_loss", "train_perplexity"]


def validate_files(ctx, s, folder, files, slowest_ms):
    """Validates {path: (what, text)} in batches; yields (path, what, text, fields) for one-line answers.
    Checks that rnnlab neither crashes nor hangs and answers each file within `slowest_ms`."""
    for path, (_, text) in files.items():
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    paths = list(files)
    for batch in range(0, len(paths), 50):
        chunk = paths[batch:batch + 50]
        start = time.time()
        code, output = run([ctx.rnnlab, "validate", "--times", "--tsv"] + chunk, cwd=folder, env=base_env(),
                           timeout=60 + 5 * len(chunk))
        lines = output.split("\n")[:-1] if output.endswith("\n") else output.split("\n")
        if not s.check(f"files {batch + 1}-{batch + len(chunk)}", code in (0, 1) and len(lines) == len(chunk),
                       f"rnnlab validate exited with {code} after {len(lines)} lines for {len(chunk)} files in "
                       f"{time.time() - start:.1f} s (a crash or a hang near {chunk[min(len(lines), len(chunk) - 1)]}):\n"
                       f"{output[-1500:]}"):
            s.tries += len(chunk)
            continue
        for path, line in zip(chunk, lines):
            s.tries += 1
            what, text = files[path]
            name = os.path.basename(path)
            fields = line.split("\t")
            if not s.check(name, len(fields) == 6 and fields[0] == path, f"({what}) not one line for the file: {line[:300]}"):
                continue
            s.check(name, float(fields[5]) < slowest_ms, f"({what}) took {fields[5]} ms")
            if fields[1] != "ok":
                count = text.count("\n") + 1
                s.check(name, fields[1].isdigit() and 1 <= int(fields[1]) <= count,
                        f"({what}) line '{fields[1]}' is not a line of the file: {fields[4][:200]}")
                s.check(name, fields[3] != "" and fields[4] != "", f"({what}) no key or no message: {line[:300]}")
            yield path, what, text, fields


def limits_folder(ctx, name):
    folder = os.path.join(ctx.work, name)
    os.makedirs(folder, exist_ok=True)
    return folder


def scenario_fuzz_aliases(ctx):
    s = Scenario("fuzz-aliases", "Alias bombs (anchors of anchors, also as keys): a located error at the alias in under 1 s")
    rng = ctx.rng("fuzz-aliases")
    count = 100 if ctx.quick else 400
    folder = limits_folder(ctx, "fuzz-aliases")
    files, expected = {}, {}
    for i in range(count):
        fanout, levels = rng.randint(2, 12), rng.randint(2, 9)
        style = rng.choice(["flow list", "block list", "flow mapping"])
        where = rng.choice(["top-level keys", "description", "a key"])
        lines = []
        for level in range(levels + 1):
            items = ["x"] * fanout if level == 0 else [f"*a{level - 1}"] * fanout
            if style == "flow list":
                value = "[" + ", ".join(items) + "]"
            elif style == "flow mapping":
                value = "{" + ", ".join(f"k{j}: {v}" for j, v in enumerate(items)) + "}"
            else:
                value = "\n" + "\n".join(f"    - {v}" for v in items)
            lines.append(f"a{level}: &a{level} {value}" if where == "top-level keys" or level < levels
                         else f"description: &a{level} {value}")
        if where == "a key":
            lines.append(f"z: {{*a{levels} : x}}")
        text = LIMITS_BASE + "\n".join(lines) + "\n"
        # Each anchor's definition is expanded where it is written: a0 has fanout+1 values, each level fanout times more.
        values, per = 0, 0
        for level in range(levels + 1):
            per = fanout + 1 if level == 0 else 1 + fanout * per
            values += per
        what = f"{fanout}^{levels} {style} in {where}, {values} values"
        path = os.path.join(folder, f"a{i + 1:04d}.yaml")
        files[path] = (what, text)
        expected[path] = values
    rejected_bombs = small = keys = 0
    slowest = 0.0
    for path, what, text, fields in validate_files(ctx, s, folder, files, 1000):
        name, values = os.path.basename(path), expected[path]
        slowest = max(slowest, float(fields[5]))
        over = "more than 100000 values" in fields[4]
        if "a key" in what:
            # Rejected before Yams hashes the key (which would expand it), whatever its size.
            if s.check(name, fields[1] != "ok" and ("a key that is an alias" in fields[4] or over),
                       f"({what}) not rejected for its key: {fields[1:5]}"):
                keys += 1
        elif values > LIMIT_VALUES + 200:
            if s.check(name, fields[1] != "ok" and over and "aliases are expanded" in fields[4],
                       f"({what}) not rejected for its values: {fields[1:5]}"):
                rejected_bombs += 1
                # The error is on the line of an anchor that aliases others (a1 or later), never past the file.
                s.check(name, int(fields[1]) >= 6, f"({what}) located at line {fields[1]}, before the first alias")
        elif values < LIMIT_VALUES - 200:
            small += 1
            s.check(name, not over, f"({what}) rejected for its values below the limit: {fields[4]}")
    s.notes.append(f"{count} files, anchors of 2-12 aliases 2-9 levels deep (flow lists, block lists, flow mappings; at the "
                   f"top level, under description or used as a key): {rejected_bombs} bombs past {LIMIT_VALUES} values rejected "
                   f"at the alias, {keys} used as keys rejected at the key, {small} smaller ones read (and rejected for their "
                   f"unknown keys or types, not their size); "
                   f"slowest file {slowest:.1f} ms")
    return s


def scenario_fuzz_nesting(ctx):
    s = Scenario("fuzz-nesting", "Deep nesting (lists, mappings, aliases of aliases): a located error past 32 levels, never a crash")
    rng = ctx.rng("fuzz-nesting")
    count = 100 if ctx.quick else 400
    folder = limits_folder(ctx, "fuzz-nesting")
    files, depths = {}, {}
    for i in range(count):
        how = rng.choice(["flow lists", "flow mappings", "block mappings", "alias chain"])
        if how == "flow lists":
            d = int(10 ** rng.uniform(0, 3.2))
            body, depth = "description: " + "[" * d + "x" + "]" * d + "\n", d + 1
        elif how == "flow mappings":
            d = int(10 ** rng.uniform(0, 3.2))
            body, depth = "description: " + "{k: " * d + "x" + "}" * d + "\n", d + 1
        elif how == "block mappings":
            d = int(10 ** rng.uniform(0, 2.5))
            body = "description:\n" + "".join("  " * (j + 1) + f"k{j}:\n" for j in range(d)) + "  " * (d + 1) + "x: 1\n"
            depth = d + 2
        else:
            links, d = rng.randint(2, 60), rng.randint(1, 900)
            body = "a0: &a0 x\n" + "".join(f"a{j}: &a{j} " + "[" * d + f"*a{j - 1}" + "]" * d + "\n" for j in range(1, links + 1))
            body += f"description: *a{links}\n"
            depth = links * d + 1          # the top-level mapping, then links × d lists
            how = f"alias chain of {links} × {d} lists"
        path = os.path.join(folder, f"n{i + 1:04d}.yaml")
        files[path] = (f"{how}, depth {depth}", LIMITS_BASE + body)
        depths[path] = depth
    deep = shallow = 0
    slowest = 0.0
    for path, what, text, fields in validate_files(ctx, s, folder, files, 1000):
        name, depth = os.path.basename(path), depths[path]
        slowest = max(slowest, float(fields[5]))
        if depth > LIMIT_DEPTH:
            deep += 1
            s.check(name, fields[1] != "ok" and ("nest deeper than 32 levels" in fields[4] or "Maximum nesting level" in fields[4]),
                    f"({what}) not rejected for its depth: {fields[1:5]}")
        else:
            shallow += 1
            s.check(name, "nest deeper" not in fields[4], f"({what}) rejected for its depth: {fields[4]}")
    s.notes.append(f"{count} files: {deep} nested deeper than {LIMIT_DEPTH} levels (up to 1500 brackets, or 60 anchors each wrapping "
                   f"the previous one in up to 900 lists) rejected with file, line and key, {shallow} shallower ones read; "
                   f"slowest file {slowest:.1f} ms")
    return s


GRID_AXES = [("training.optimizer.learning_rate", lambda j: f"{0.0001 * (j + 1):.4f}"), ("model.hidden_size", lambda j: str(j + 1)),
             ("training.epochs", lambda j: str(j + 1)), ("task.length", lambda j: str(j + 2)),
             ("training.batch_size", lambda j: str(j + 1))]


# Task kinds whose runs generate no text (report.samples needs language-model runs).
NON_TEXT_TASK_KINDS = ["adding", "copy_memory", "embedded_reber", "music", "sentiment", "forecasting", "sequential_image",
                       "reversal", "sorting", "dates", "addition"]


def scenario_fuzz_grids(ctx):
    s = Scenario("fuzz-grids", "Huge sweeps: up to 100000 runs validated, more rejected with the count before any run is built")
    rng = ctx.rng("fuzz-grids")
    count = 30 if ctx.quick else 120
    folder = limits_folder(ctx, "fuzz-grids")
    files, runs = {}, {}
    for i in range(count):
        axes = rng.sample(GRID_AXES, rng.randint(1, 3))
        target = 10 ** rng.uniform(0, 7)
        seeds = rng.randint(1, 10)
        # At most 5000 values an axis: the sizes come from the product, not from lists past the values limit.
        sizes = [min(5000, max(1, round((target / seeds) ** (1 / len(axes)) * rng.uniform(0.7, 1.3)))) for _ in axes]
        text = LIMITS_BASE + "compare:\n" + "".join(f"  {key}: [" + ", ".join(value(j) for j in range(n)) + "]\n"
                                                  for (key, value), n in zip(axes, sizes)) + f"seeds: {seeds}\n"
        # The axes vary batch sizes and epochs: the budget check asks for the reason the updates differ.
        text += "budget: {unequal_updates: \"the sweep varies the budget itself\"}\n"
        total = seeds
        for n in sizes:
            total *= n
        path = os.path.join(folder, f"g{i + 1:04d}.yaml")
        files[path] = (f"{' × '.join(map(str, sizes))} × {seeds} seeds = {total} runs", text)
        runs[path] = total
    accepted = rejected = 0
    largest, slowest_ok, slowest_rejected = 0, 0.0, 0.0
    for path, what, text, fields in validate_files(ctx, s, folder, files, 5000):
        name, total = os.path.basename(path), runs[path]
        if total <= LIMIT_RUNS:
            if s.check(name, fields[1] == "ok" and fields[4] == f"{total} runs", f"({what}) not {total} runs: {fields[1:5]}"):
                accepted += 1
                largest = max(largest, total)
                slowest_ok = max(slowest_ok, float(fields[5]))
        elif s.check(name, fields[1] != "ok" and fields[3] == "compare" and f"the sweep has {total} runs" in fields[4],
                     f"({what}) not rejected with its count: {fields[1:5]}"):
            rejected += 1
            slowest_rejected = max(slowest_rejected, float(fields[5]))
            s.check(name, float(fields[5]) < 1000, f"({what}) rejected after {fields[5]} ms")
    s.notes.append(f"{count} sweeps of 1-3 axes and 1-10 seeds, 1 to 10^7 runs: {accepted} up to {LIMIT_RUNS} runs validated "
                   f"(largest {largest}, slowest {slowest_ok:.0f} ms), {rejected} larger ones rejected with their count "
                   f"(slowest {slowest_rejected:.1f} ms)")
    return s


def metric_sites(lines):
    """(line index, key, metric name) of every metric a file's report and reference name."""
    sites, section = [], None
    for i, line in enumerate(lines):
        top = re.match(r"^([a-z_]+):", line)
        if top:
            section = top.group(1)
        if section == "report":
            m = re.match(r"^  metric: ([A-Za-z_0-9]+)", line)
            if m:
                sites.append((i, "report.metric", m.group(1)))
            m = re.match(r"^  columns: \[([^\]]*)\]", line)
            if m:
                for name in [c.strip() for c in m.group(1).split(",") if c.strip()]:
                    sites.append((i, "report.columns", name))
            m = re.search(r"success: \{metric: ([A-Za-z_0-9]+)", line)
            if m:
                sites.append((i, "report.success.metric", m.group(1)))
        if section == "reference":
            m = re.search(r"\bmetric: ([A-Za-z_0-9]+)", line)
            if m:
                sites.append((i, "reference.metric", m.group(1)))
    return sites


def is_metric(name, declared):
    families = [d[:-1] for d in declared if d.endswith("_N")]
    return name in declared or any(name.startswith(f) and name[len(f):].isdigit() for f in families)


def scenario_fuzz_metrics(ctx):
    s = Scenario("fuzz-metrics", "Metric names in report and reference: one the task lacks is a located error with a suggestion")
    rng = ctx.rng("fuzz-metrics")
    count = 200 if ctx.quick else 800
    sources = sorted(n for n in os.listdir(os.path.join(ROOT, "experiments")) if n.endswith(".yaml"))
    texts = {n: open(os.path.join(ROOT, "experiments", n), encoding="utf-8").read() for n in sources}
    folder = limits_folder(ctx, "fuzz-metrics")
    # The metrics each file's task declares, as rnnlab lists them for an unknown one.
    probes = {}
    for n in sources:
        lines = texts[n].split("\n")
        i = next(i for i, key, _ in metric_sites(lines) if key == "report.metric")
        lines[i] = "  metric: zzzz"
        probes[os.path.join(folder, f"probe-{n}")] = ("probe", "\n".join(lines))
    declared = {}
    for path, _, _, fields in validate_files(ctx, s, folder, probes, 1000):
        m = re.search(r"\(metrics: ([^)]*)\)", fields[4])
        s.check(os.path.basename(path), m is not None, f"the probe names no metrics: {fields[1:5]}")
        declared[os.path.basename(path)[len("probe-"):]] = m.group(1).split(", ") if m else []
    # A file whose arms run several task kinds takes only the metrics every kind declares; the probe's message names
    # the first kind's, so each of those is tried as report.metric and kept where the whole file accepts it.
    candidates = {}
    for n in sources:
        kinds = set(re.findall(r"kind: ([a-z_]+)", texts[n])) & set(NON_TEXT_TASK_KINDS + ["language_model"])
        if len(kinds) < 2:
            continue
        for metric in declared.get(n, []):
            lines = texts[n].split("\n")
            i = next(i for i, key, _ in metric_sites(lines) if key == "report.metric")
            lines[i] = f"  metric: {metric}"
            candidates[os.path.join(folder, f"candidate-{metric}-{n}")] = (n, "\n".join(lines))
    accepted_by_all = {}
    for path, n, _, fields in validate_files(ctx, s, folder, candidates, 1000):
        metric = os.path.basename(path)[len("candidate-"):-len(n) - 1]
        if fields[1] == "ok" or fields[3] == "report.direction":
            accepted_by_all.setdefault(n, []).append(metric)
    for n in {n for n, _ in candidates.values()}:
        declared[n] = [metric for metric in declared[n] if metric in accepted_by_all.get(n, [])]
    files, cases = {}, {}
    for i in range(count):
        source = sources[i % len(sources)]
        lines = texts[source].split("\n")
        sites = metric_sites(lines)
        if rng.random() < 0.15 or not sites:
            if any(l.startswith("  samples:") for l in lines):
                continue
            at = next(j for j, l in enumerate(lines) if l.startswith("report:")) + 1
            lines.insert(at, "  samples: {length: 50}")
            # Samples need every arm to be a language model: a file with any other task kind rejects them.
            other = any(re.search(r"kind: " + kind + r"\b", texts[source]) for kind in NON_TEXT_TASK_KINDS)
            case = (at, "report.samples", None, "language_model" not in texts[source] or other)
            what = "samples added"
        else:
            line, key, original = rng.choice(sites)
            how = rng.randrange(3)
            if how == 0 and len(original) > 2:
                j = rng.randrange(len(original))
                name = original[:j] + original[j + 1:] if rng.random() < 0.5 else original[:j] + rng.choice("aeiouxz") + original[j:]
                what = f"{key} misspelt {original} → {name}"
            elif how == 1:
                name = rng.choice(ALL_METRICS)
                what = f"{key} {original} → {name}"
            else:
                name = rng.choice(["acc", "MSE", "val_loss", "f1", "bleu", "perplexity_", "loss2"])
                what = f"{key} {original} → {name}"
            lines[line] = re.sub(rf"\b{re.escape(original)}\b", name, lines[line], count=1)
            case = (line, key, name, not is_metric(name, declared.get(source, [])))
        path = os.path.join(folder, f"x{i + 1:04d}-{source}")
        files[path] = (what, "\n".join(lines))
        cases[path] = case
    caught = accepted = suggested = 0
    for path, what, text, fields in validate_files(ctx, s, folder, files, 1000):
        name = os.path.basename(path)
        line, key, metric, wrong = cases[path]
        if wrong:
            if s.check(name, fields[1] == str(line + 1) and fields[3] == key,
                       f"({what}) not rejected at line {line + 1}, {key}: {fields[1:5]}"):
                caught += 1
                suggested += "did you mean" in fields[4]
        else:
            ok = fields[1] == "ok" or fields[3] == "report.direction"
            if s.check(name, ok, f"({what}) a metric of the task, rejected: {fields[1:5]}"):
                accepted += 1
    s.notes.append(f"{len(files)} files of {len(sources)} experiments with a metric of report.metric, report.columns, "
                   f"report.success.metric or reference.metric replaced (misspelt, another task's, made up) or report.samples added: "
                   f"{caught} names the task lacks rejected at their line and key ({suggested} with a suggestion), "
                   f"{accepted} of the task's metrics accepted (or a contradicted direction named)")
    return s


DIVERGE = """name: reliability-diverge
title: A diverging arm (SGD with learning rate 1e3)
task: {kind: adding, length: 10, training_examples: 200, evaluation_examples: 100}
model: {cell: rnn_relu, hidden_size: 16}
training:
  epochs: 2
  batch_size: 50
  optimizer: {kind: sgd, learning_rate: 0.01}
compare:
  training.optimizer.learning_rate: [0.01, 1000]
seeds: SEEDS
report: {metric: mse, direction: lower}
"""


def scenario_diverge(ctx):
    s = Scenario("diverge", "A diverging arm (learning rate 1e3): marked at its step, the sweep completes, counted")
    rng = ctx.rng("diverge")
    tries = 1 if ctx.quick else 3
    for t in range(tries):
        label = f"try {t + 1}"
        project = ctx.project(f"diverge-{t + 1}", experiments=())
        seeds = sorted(rng.sample(range(1, 1000), 2))
        with open(os.path.join(project, "experiments", "reliability-diverge.yaml"), "w") as f:
            f.write(DIVERGE.replace("SEEDS", f"[{seeds[0]}, {seeds[1]}]"))
        results = os.path.join(project, "R")
        code, output = run([ctx.rnnlab, "run", "reliability-diverge", "--jobs", "2", "--results", results,
                            "--data-dir", ctx.data], cwd=project, env=base_env(), timeout=300)
        s.tries += 1
        s.check(label, code == 0, f"the sweep exited with {code}:\n{output[-1500:]}")
        counts = summary_counts(results, "reliability-diverge") or {}
        high = [v for a, v in counts.items() if "1000" in a]
        low = [v for a, v in counts.items() if "0.01" in a]
        s.check(label, high == [(2, 0, 2)], f"the lr 1e3 arm is counted {high}, not 2 planned, 0 complete, 2 diverged")
        s.check(label, low == [(2, 2, 0)], f"the lr 0.01 arm is counted {low}, not 2 complete")
        report = open(os.path.join(results, "reliability-diverge", "REPORT.md")).read() \
            if os.path.exists(os.path.join(results, "reliability-diverge", "REPORT.md")) else ""
        s.check(label, "diverged" in report, "REPORT.md has no diverged column")
        steps = []
        for rid, path in run_files(results, "reliability-diverge").items():
            code, shown = run([ctx.rnnlab, "show", path], cwd=project, env=base_env())
            m = re.search(r"diverged at step (\d+): (.+?)\)", shown)
            if m:
                steps.append(f"step {m.group(1)} ({m.group(2)})")
        s.check(label, len(steps) == 2, f"{len(steps)} run files say 'diverged at step N', not 2")
        print(f"  {label}: seeds {seeds}: lr 1e3 diverged at {', '.join(steps)}", flush=True)
        s.notes.append(f"seeds {seeds}: the lr 1e3 runs diverged at {', '.join(steps)}")
    return s


def scenario_two_runners(ctx):
    s = Scenario("two-runners", "Two runners (--wait) on one experiment at once: each run once, nothing clobbered, both exit 0")
    ensure_baseline(ctx)
    tries = 2 if ctx.quick else 5
    rng = ctx.rng("two-runners")
    for t in range(tries):
        label = f"try {t + 1}"
        jobs = (2, 2) if t % 2 == 0 else (1, 2)
        project = ctx.project(f"two-{t + 1}")
        results = os.path.join(project, "R")
        stagger = rng.uniform(0, 0.3)
        # --wait: the runner that finishes first waits for the runs the other holds (without it, it would end
        # with a partial report and status 75).
        a = subprocess.Popen(ctx.sweep_cmd(results, jobs=jobs[0], extra=["--wait"]), cwd=project, env=base_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        time.sleep(stagger)
        b = subprocess.Popen(ctx.sweep_cmd(results, jobs=jobs[1], extra=["--wait"]), cwd=project, env=base_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        outputs = [p.communicate(timeout=600)[0].decode("utf-8", "replace") for p in (a, b)]
        s.tries += 1
        s.check(label, a.returncode == 0 and b.returncode == 0, f"exit codes {a.returncode}, {b.returncode}")
        computed = []
        for out in outputs:
            started = set(re.findall(r"\(([0-9a-f]{16})\)(?: as process \d+)?$", out, re.M))
            not_run = set(re.findall(r"([0-9a-f]{16}) is (?:being computed by another process|already finished)", out))
            computed.append(started - not_run)
        s.check(label, not (computed[0] & computed[1]), f"computed by both: {sorted(computed[0] & computed[1])}")
        s.check(label, computed[0] | computed[1] == set(ctx.fingerprints),
                f"computed {len(computed[0] | computed[1])} of {len(ctx.fingerprints)} runs")
        compare_with_baseline(s, label, results)
        temporaries, locks = leftovers(results)
        s.check(label, not temporaries and not locks, f"left: {temporaries + locks}")
        print(f"  {label}: --jobs {jobs[0]} and {jobs[1]}, {stagger * 1000:.0f} ms apart: computed "
              f"{len(computed[0])} + {len(computed[1])} runs", flush=True)
        s.notes.append(f"{label}: --jobs {jobs[0]} and --jobs {jobs[1]}, started {stagger * 1000:.0f} ms apart: "
                       f"{len(computed[0])} + {len(computed[1])} runs computed, none twice")
    return s


def processes_naming(text):
    """Living processes whose command line contains text (each try's results directory is its own)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        if text in cmdline and alive(int(entry)):
            found.append(int(entry))
    return found


def run_status(path):
    """The run file's `status` attribute (running, complete, diverged), through h5dump; None if unreadable."""
    p = subprocess.run(["h5dump", "-a", "/status", path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    found = re.search(r'\(0\): "(\w+)"', p.stdout.decode("utf-8", "replace"))
    return found.group(1) if found else None


def run_of(pid):
    """The run id a child run process computes (its `--run ID`), or None."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            words = f.read().decode("utf-8", "replace").split("\0")
    except OSError:
        return None
    return words[words.index("--run") + 1] if "--run" in words[:-1] else None


def scenario_signals(ctx):
    s = Scenario("signals", "SIGINT, SIGTERM or SIGKILL to the runner alone at random moments of a --jobs 2 sweep, twice, "
                            "then a resume: no rnnlab process left")
    ensure_baseline(ctx)
    rng = ctx.rng("signals")
    tries = 3 if ctx.quick else 15
    kinds = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]
    landed = {"training": 0, "other": 0}
    statuses, slowest = {}, 0.0
    for i in range(tries):
        project = ctx.project(f"signals-{i + 1}")
        results = os.path.join(project, "R")
        sent = []
        for k in range(2):
            sig = kinds[(2 * i + k) % len(kinds)]
            sent.append(sig.name)
            label = f"try {i + 1}"
            proc = subprocess.Popen(ctx.sweep_cmd(results), cwd=project, env=base_env(), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
            # The second sweep has less left to do: its signal comes sooner.
            start, delay = time.time(), rng.uniform(0.1, 0.9) * ctx.train_seconds * (1 if k == 0 else 0.5)
            while proc.poll() is None and time.time() - start < delay:
                time.sleep(0.002)
            in_flight = {pid: run_of(pid) for pid in children_of(proc.pid)}
            running = proc.poll() is None
            landed["training" if running and in_flight else "other"] += 1
            signalled = time.time()
            if running:
                os.kill(proc.pid, sig)           # the runner alone, not its process group or its children
            proc.wait()
            if sig != signal.SIGKILL:            # the runner exits only once its children have
                outlived = [pid for pid in in_flight if alive(pid)]
                s.check(label, not outlived, f"{sig.name}: child runs {outlived} still alive when the runner exited")
            deadline = time.time() + 10
            while time.time() < deadline and processes_naming(results):
                time.sleep(0.005)
            left = processes_naming(results)
            slowest = max(slowest, time.time() - signalled)
            expected = (-signal.SIGKILL if sig == signal.SIGKILL else 128 + sig) if running else 0
            statuses[sig.name] = statuses.get(sig.name, set()) | {proc.returncode}
            s.check(label, proc.returncode in (expected, 0), f"{sig.name}: the runner exited with {proc.returncode}, not {expected}")
            s.check(label, not left, f"rnnlab processes still alive 10 s after {sig.name} to the runner: {left}")
            live = [n for n in leftovers(results)[1] if lock_owner_alive(os.path.join(results, SWEEP, "runs", n))]
            s.check(label, not live, f"{sig.name}: locks of living processes: {live}")
            # A run in flight at the signal stays unfinished, unless it was finished right then: an orphan would finish it later.
            finished_later = []
            for rid in filter(None, in_flight.values()):
                path = os.path.join(results, SWEEP, "runs", f"{rid}.h5")
                if running and os.path.exists(path) and run_status(path) in ("complete", "diverged") \
                        and os.path.getmtime(path) > signalled + 0.25:
                    finished_later.append(rid)
            s.check(label, not finished_later, f"{sig.name}: runs finished after the signal to the runner: {finished_later}")
        code, output = run(ctx.sweep_cmd(results), cwd=project, env=base_env(), timeout=600)
        s.tries += 1
        s.check(label, code == 0, f"the resume exited with {code}:\n{output[-2000:]}")
        s.check(label, "being computed by another process" not in output, "a run was still held by an orphan")
        s.check(label, not leftovers(results)[0], f"temporary files left after the resume: {leftovers(results)[0]}")
        compare_with_baseline(s, label, results)
        failed = [f for f in s.failures if f[0] == label]
        print(f"  try {i + 1}: {' then '.join(sent)} to the runner, then a resume: {'FAILED' if failed else 'ok'}", flush=True)
    s.notes.append("where the signals landed (observed): " + ", ".join(f"{k} {v}" for k, v in landed.items() if v)
                   + "; the runner's exit statuses: " + ", ".join(f"{k} {sorted(v)}" for k, v in sorted(statuses.items())))
    s.notes.append(f"every rnnlab process of the sweep had ended at most {slowest:.2f} s after the signal to the runner "
                   "(the runner passes SIGINT and SIGTERM on to its children; SIGKILL reaches them as a parent-death signal)")
    return s


def tree(path, skip):
    found = set()
    for folder, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip]
        found.update(os.path.join(folder, n) for n in names)
    return found


def scenario_escape(ctx):
    s = Scenario("escape", "Experiment names and run ids that leave the results directory are rejected")
    project = ctx.project("escape")
    results = os.path.join(project, "R")
    os.makedirs(results)
    smoke = open(os.path.join(ROOT, "experiments", f"{SWEEP}.yaml")).read()
    outside = os.path.join(ctx.work, "outside-target")
    names = ["../escape-name", "../../escape-name", "/tmp/escape-abs", os.path.join(outside, "abs"), "a/../../escape",
             "..", ".", ".hidden", "sub/dir", "x\\..\\..\\y", "escape\u2215slash"]
    attempts = []
    for i, name in enumerate(names):
        path = os.path.join(project, "experiments", f"escape-{i}.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(smoke.replace(f"name: {SWEEP}", f"name: \"{name}\""))
        attempts.append((f"name {name!r}", [ctx.rnnlab, "run", path, "--profile", PROFILE, "--results", results,
                                             "--data-dir", ctx.data], "name"))
    for rid in ["../../escape-id", "/tmp/escape-id", "..", "../runs/x", os.path.join(outside, "id")]:
        attempts.append((f"run id {rid!r}", [ctx.rnnlab, "run", SWEEP, "--profile", PROFILE, "--run", rid,
                                              "--results", results, "--data-dir", ctx.data], "run"))
    def outside_files():
        escaped = {os.path.join("/tmp", n) for n in os.listdir("/tmp") if n.startswith("escape")}
        return tree(ctx.work, {results}) | escaped
    before = outside_files()
    for label, cmd, word in attempts:
        code, output = run(cmd, cwd=project, env=base_env(), timeout=120)
        s.tries += 1
        s.check(label, code not in (0, "timeout") and isinstance(code, int) and code > 0,
                f"not rejected (exit {code}):\n{output[-800:]}")
        s.check(label, word in output and "epoch" not in output, f"no clear rejection:\n{output[-800:]}")
    after = outside_files()
    new = sorted(after - before)
    s.check("files outside the results directory", not new, f"written: {new[:10]}")
    s.check("results directory", not tree(results, set()), f"written into results: {sorted(tree(results, set()))[:10]}")
    s.notes.append(f"{len(attempts)} attempts ({len(names)} experiment names, {len(attempts) - len(names)} run ids); "
                   f"files written outside the results directory: {len(new)}")
    return s


def scenario_disk_full(ctx):
    s = Scenario("disk-full", "Disk full while writing: a clear error, every complete file intact")
    ensure_baseline(ctx)
    project = ctx.project("diskfull")
    complete = sorted(run_files(ctx.baseline).items())
    probe = os.path.join(project, "probe")
    os.makedirs(probe)
    mounted = not ctx.no_mount and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe],
                                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    if mounted:
        subprocess.run(["umount", probe])
    how = "a 1.2 MB tmpfs per try" if mounted else "a file-size limit of 200 KiB (RLIMIT_FSIZE, SIGXFSZ ignored)"
    s.notes.append(f"the full disk is {how}; each try starts with complete run files already there")
    cases = [("--jobs 1, 3 complete files", 1, 3, "run"),
             ("--jobs 2, 1 complete file" + (", ~100 KB free" if mounted else ""), 2, 1, "run")]
    if mounted:
        cases.append(("rnnlab report with 0 bytes free", 1, 3, "report"))
    for t, (label, jobs, keep, what) in enumerate(cases):
        mount = os.path.join(project, f"disk-{t}")
        os.makedirs(mount)
        if mounted:
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", mount], check=True)
        try:
            results = os.path.join(mount, "R")
            runs = os.path.join(results, SWEEP, "runs")
            os.makedirs(runs)
            for rid, path in complete[:keep]:
                shutil.copy(path, runs)
            if what == "report":   # a first report while there is room, then fill the disk
                run([ctx.rnnlab, "report", SWEEP, "--profile", PROFILE, "--results", results],
                    cwd=project, env=base_env())
            shas = {p: sha256_file(p) for p in tree(results, set())}
            if mounted and (jobs == 2 or what == "report"):
                room = 100 * 1024 if what == "run" else 0
                with open(os.path.join(mount, "filler"), "wb", buffering=0) as f:
                    try:
                        free = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize
                        f.write(bytes(max(0, free - room)))
                        while room == 0:
                            f.write(bytes(4096))
                    except OSError:
                        pass
            if what == "run":
                cmd = ctx.sweep_cmd(results, jobs=jobs)
            else:
                cmd = [ctx.rnnlab, "report", SWEEP, "--profile", PROFILE, "--results", results]
            code, output = run(cmd, cwd=project, env=base_env(), timeout=300, limit_file_size=None if mounted else 200 * 1024)
            s.tries += 1
            s.check(label, code == 1, f"exit {code}, not 1:\n{output[-1500:]}")
            pattern = r"cannot write \S+: (No space left on device|File too large)"
            first = re.search(pattern + r"[^\n]*", output)
            s.check(label, first is not None, f"no clear error naming the file:\n{output[-1500:]}")
            s.check(label, "Program crashed" not in output and "Signal" not in output, "crashed")
            changed = [p for p, sha in shas.items() if not os.path.exists(p) or sha256_file(p) != sha]
            s.check(label, not changed, f"previously complete files changed: {changed}")
            temporaries, locks = leftovers(results)
            s.check(label, not temporaries and not locks, f"left: {temporaries + locks}")
            print(f"  {label}: exit {code}; {len(shas)} existing files intact: {not changed}; "
                  f"'{first.group(0)[:150] if first else ''}'", flush=True)
            message = output[first.start():].split("\n")[0] if first else "(none)"
            s.notes.append(f"{label}: `{message.replace(ctx.work, '…')}`")
        finally:
            if mounted:
                subprocess.run(["umount", mount])
    return s


def scenario_data(ctx):
    s = Scenario("data", "Missing or corrupted data set: one clear message before any run starts")
    env = base_env()
    env.pop("RNNLAB_DATA_MIRROR", None)
    env.pop("RNNLAB_DATA", None)
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env[proxy] = "http://127.0.0.1:9"        # no downloads: fail at once
    cases = [("missing", None), ("corrupted (wrong bytes)", b'{"train": [[[60, 64]]], "valid": [], "test": []}\n'),
             ("corrupted (truncated)", "truncate")]
    for index, (label, content) in enumerate(cases):
        project = ctx.project(f"data-{index}", experiments=("music-cells-jsb",))
        data = os.path.join(project, "data")
        os.makedirs(os.path.join(data, "jsb_chorales"))
        target = os.path.join(data, "jsb_chorales", "jsb_chorales.json")
        if content == "truncate":
            source = os.path.join(ctx.data, "jsb_chorales", "jsb_chorales.json")
            blob = open(source, "rb").read() if os.path.exists(source) else b'{"train": [[[60, 64]' * 100
            content = blob[: len(blob) // 2]
        if content is not None:
            with open(target, "wb") as f:
                f.write(content)
        results = os.path.join(project, "R")
        code, output = run([ctx.rnnlab, "run", "music-cells-jsb", "--profile", PROFILE, "--jobs", "2",
                            "--results", results, "--data-dir", data], cwd=project, env=env, timeout=180)
        s.tries += 1
        s.check(label, isinstance(code, int) and code > 0, f"exit {code}")
        s.check(label, output.count("Error:") == 1 and "jsb_chorales" in output, f"not one clear message:\n{output[-1500:]}")
        s.check(label, not re.search(r"^(started |\[1/)", output, re.M) and not run_files(results, "music-cells-jsb"),
                "a run started")
        print(f"  {label}: exit {code}: {output.strip().splitlines()[0][:150] if output.strip() else ''}", flush=True)
        if label == "missing":
            s.notes.append(f"the message begins: `{output.strip().splitlines()[0] if output.strip() else ''}`")
    return s


SCENARIOS = {"kill": scenario_kill, "damage": scenario_damage, "fuzz": scenario_fuzz, "fuzz-aliases": scenario_fuzz_aliases,
             "fuzz-nesting": scenario_fuzz_nesting, "fuzz-grids": scenario_fuzz_grids, "fuzz-metrics": scenario_fuzz_metrics,
             "diverge": scenario_diverge,
             "two-runners": scenario_two_runners, "signals": scenario_signals, "escape": scenario_escape, "disk-full": scenario_disk_full,
             "data": scenario_data}
ctx_global = None


def markdown(results, args, total_seconds):
    version = subprocess.run([os.path.abspath(args.rnnlab), "--version"], stdout=subprocess.PIPE).stdout.decode().strip()
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE).stdout.decode().strip()
    lines = ["# Reliability", "",
             "Generated by `make reliability` (`Tests/Reliability/reliability.py`) from its own output; do not edit by hand.",
             f"rnnlab {version}, commit {commit}, seed {args.seed}, {'quick' if args.quick else 'full'} counts, "
             f"{total_seconds:.0f} s in all. Each scenario drives the real `rnnlab` command on real HDF5 files; run files "
             "are compared through `h5dump` (floats as exact hexadecimal), independently of rnnlab's own reader.", "",
             "| scenario | tries | failures | seconds |", "|---|---|---|---|"]
    for s in results:
        lines.append(f"| {s.title} | {s.tries} | {s.failed} | {s.seconds:.1f} |")
    lines.append("")
    for s in results:
        lines.append(f"## {s.title}")
        lines.append("")
        lines.append(f"{s.tries} tries, {s.failed} failed, {s.seconds:.1f} s.")
        for note in s.notes:
            lines.append(f"- {note}")
        for label, reason in s.failures[:10]:
            lines.append(f"- FAILED {label}: {reason.splitlines()[0] if reason else ''}")
        lines.append("")
    lines.append(f"Reproduce: `python3 Tests/Reliability/reliability.py --rnnlab .build/release/rnnlab --seed {args.seed}"
                 f"{' --quick' if args.quick else ''}`.")
    return "\n".join(lines) + "\n"


def readme_block(results):
    by = {s.key: s for s in results}
    parts = []
    def fig(key, text):
        if key in by:
            s = by[key]
            parts.append(f"- {text.format(ok=s.tries - s.failed, n=s.tries)}")
    if "kill" in by:
        left = by["kill"].figures.get("left behind", 0)
        fig("kill", "SIGKILL at random moments of a `--jobs 2` sweep (in training steps, checkpoint writes, report "
            "generation), then a resume: {ok}/{n} end bit-identical to an uninterrupted sweep, "
            + ("no temporary or lock file left." if left == 0 else f"no temporary file left, {left} harmless stale lock{'' if left == 1 else 's'}."))
    if "damage" in by:
        f = by["damage"].figures
        fig("damage", "Damaged run files and run records (truncated, flipped bytes in superblock, metrics and weights, "
            f"empty, another format): {{ok}}/{{n}} handled: {f.get('libhdf5 or the format', 0) + f.get('checksum', 0)} "
            f"run files detected ({f.get('checksum', 0)} only by the stored checksum), moved aside and recomputed; "
            f"{f.get('record', 0)} records detected, named, kept out of reports, moved aside and recorded again; "
            f"{f.get('harmless', 0)} flipped bytes that nothing reads went unnoticed.")
    fig("fuzz", "Fuzzed experiment files: {ok}/{n} accepted or rejected with file, line and key; no crash, no hang.")
    fig("fuzz-aliases", "YAML alias bombs (also as keys): {ok}/{n} rejected at the alias in under a second, or read.")
    fig("fuzz-nesting", "Deep nesting (lists, mappings, alias chains): {ok}/{n} rejected past 32 levels or read; no crash.")
    fig("fuzz-grids", "Sweeps of 1 to 10^7 runs: {ok}/{n} validated up to 100000 runs, or rejected with their count.")
    fig("fuzz-metrics", "Metric names the task lacks in report and reference: {ok}/{n} rejected at their line, or accepted.")
    fig("diverge", "A diverging arm: {ok}/{n} sweeps complete with it marked and counted.")
    fig("two-runners", "Two runners on one experiment: {ok}/{n} with every run computed once.")
    fig("signals", "SIGINT, SIGTERM or SIGKILL to a `--jobs 2` runner alone, twice at random moments, then a resume: "
        "{ok}/{n} with no rnnlab process left and every run bit-identical to an uninterrupted sweep.")
    fig("escape", "Names and run ids escaping the results directory: {ok}/{n} rejected.")
    fig("disk-full", "Disk full: {ok}/{n} clear errors with every complete file intact.")
    fig("data", "Missing or corrupted data: {ok}/{n} stopped with one message before any run.")
    return ("<!-- reliability:begin (written by make reliability) -->\n" + "\n".join(parts)
            + "\n\nDetails and timings: [docs/reliability.md](docs/reliability.md).\n<!-- reliability:end -->")


def main():
    global ctx_global
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rnnlab", default=os.path.join(ROOT, ".build", "release", "rnnlab"))
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (make test)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--data", default=os.environ.get("RNNLAB_DATA_MIRROR") or os.path.join(ROOT, "data"))
    parser.add_argument("--only", default="", help="comma-separated scenarios: " + ", ".join(SCENARIOS))
    parser.add_argument("--markdown", help="write the figures to this file (docs/reliability.md)")
    parser.add_argument("--readme", help="replace the reliability block of this README")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument("--no-mount", action="store_true", help="simulate a full disk with a file-size limit, not a tmpfs")
    args = parser.parse_args()
    args.data = os.path.abspath(args.data)
    chosen = [k for k in args.only.split(",") if k] or list(SCENARIOS)
    work = tempfile.mkdtemp(prefix="rnnlab-reliability-")
    ctx = ctx_global = Context(args, work)
    print(f"reliability suite ({'quick' if args.quick else 'full'}, seed {args.seed}) in {work}", flush=True)
    results, start = [], time.time()
    for key in chosen:
        print(f"[{key}]", flush=True)
        t0 = time.time()
        s = SCENARIOS[key](ctx)
        s.seconds = time.time() - t0
        results.append(s)
        print(f"  {key}: {s.tries} tries, {s.failed} failed, {s.seconds:.1f} s", flush=True)
    total = time.time() - start
    failed = sum(s.failed for s in results)
    tries = sum(s.tries for s in results)
    print("")
    for s in results:
        print(f"{s.key:12s} {s.tries:5d} tries {s.failed:4d} failed {s.seconds:7.1f} s")
    print(f"reliability: {tries - failed} passed, {failed} failed ({tries} tries in {len(results)} scenarios, {total:.0f} s)")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(results, args, total))
        print(f"wrote {args.markdown}")
    if args.readme:
        text = open(args.readme).read()
        block = readme_block(results)
        pattern = re.compile(r"<!-- reliability:begin.*?<!-- reliability:end -->", re.S)
        if pattern.search(text):
            text = pattern.sub(lambda _: block, text)
        else:
            text = text.rstrip("\n") + "\n\n## Reliability\n\n" + block + "\n"
        with open(args.readme, "w") as f:
            f.write(text)
        print(f"updated {args.readme}")
    if failed == 0 and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    elif failed:
        print(f"working directory kept for inspection: {work}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
