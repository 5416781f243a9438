#!/usr/bin/env bash
# make test-slurm: a real single-node Slurm (Debian's slurmctld, slurmd and munge, installed with apt-get
# when missing, no systemd needed), then a smoke experiment as a job array:
#   1. the array's results equal a local `rnnlab run` (same run ids, bit-identical final metrics and weights);
#   2. a task cancelled mid-run (scancel) is shown by `rnnlab status`, found dead once its lock is that of a
#      silent other host, resubmitted alone by `rnnlab slurm --submit`, and resumed from its checkpoint;
#   3. the report job (afterany on the array) regenerates REPORT.md and summary.csv.
# The daemons this script starts are stopped by pid file when it ends, also on failure.
# Prints one closing line: "slurm checks: N passed, M failed". Needs root (it installs and starts daemons).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
RNNLAB=$ROOT/.build/release/rnnlab
EXPERIMENT=$ROOT/Tests/slurm/slurm-smoke.yaml
passed=0 failed=0
STARTED=()
JOBS=()
WORK=""

say() { echo "test-slurm: $*"; }
check() {   # check NAME COMMAND...: one counted check
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "  ok    $name"; else failed=$((failed + 1)); echo "  FAIL  $name"; fi
}
abort() { say "$*"; failed=$((failed + 1)); exit 1; }

stop() {   # stop PIDFILE NAME (the recipe's stop: by pid file, SIGKILL after 20 s)
  local f=$1 name=$2 p; [ -s "$f" ] || return 0; p=$(cat "$f")
  if [ "$(cat /proc/$p/comm 2>/dev/null)" = "$name" ]; then
    kill "$p"; for _ in $(seq 100); do [ "$(cat /proc/$p/comm 2>/dev/null)" = "$name" ] || break; sleep 0.2; done
    [ "$(cat /proc/$p/comm 2>/dev/null)" = "$name" ] && kill -9 "$p"
  fi; rm -f "$f"; }

finish() {
  local status=$?
  [ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && { failed=1; say "stopped before the end (status $status)"; }
  # Jobs of this test still queued or running (after a failed check) go first: a stopped slurmd
  # would leave their processes behind.
  if [ ${#JOBS[@]} -gt 0 ] && [ -n "$(squeue -h -j "$(IFS=,; echo "${JOBS[*]}")" 2>/dev/null)" ]; then
    scancel "${JOBS[@]}" 2>/dev/null
    timeout 30 bash -c "while [ -n \"\$(squeue -h -j $(IFS=,; echo "${JOBS[*]}") 2>/dev/null)\" ]; do sleep 0.5; done"
  fi
  for (( i=${#STARTED[@]}-1; i>=0; i-- )); do stop ${STARTED[$i]}; done
  if [ "$failed" -gt 0 ] && [ -n "$WORK" ]; then
    for log in "$WORK"/*.log "$WORK"/cluster/slurm-smoke/slurm/*.out; do
      [ -f "$log" ] && { echo "--- $log"; tail -n 30 "$log"; }
    done
    [ -f /var/log/slurm/slurmctld.log ] && { echo "--- slurmctld.log"; tail -n 20 /var/log/slurm/slurmctld.log; }
  fi
  [ -n "$WORK" ] && [ -z "${KEEP:-}" ] && rm -rf "$WORK"
  echo "slurm checks: $passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$status" -eq 0 ] || exit 1
}
trap finish EXIT
trap "exit 1" INT TERM HUP

[ "$(id -u)" -eq 0 ] || abort "needs root: it installs and starts slurmctld, slurmd and munge (run it as root, e.g. in CI)"
[ -x "$RNNLAB" ] || abort "$RNNLAB is missing: run make build first"
exec 9>/run/rnnlab-test-slurm.lock
flock -w 600 9 || abort "another make test-slurm holds /run/rnnlab-test-slurm.lock"

# --- 1. Packages (only when missing) -------------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
missing=""
for p in slurmctld slurmd slurm-client munge; do dpkg -s $p >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  say "installing$missing"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || abort "apt-get install failed"
fi

# --- 2. Munge -----------------------------------------------------------------------------------------
for f in /run/slurmctld.pid:slurmctld /run/slurmd.pid:slurmd; do
  p=$(cat "${f%%:*}" 2>/dev/null) && [ "$(cat /proc/$p/comm 2>/dev/null)" = "${f##*:}" ] \
    && abort "${f##*:} is already running (pid $p, ${f%%:*}); stop it first"
done
if [ -f /etc/slurm/slurm.conf ] && ! grep -q "^# written by rnnlab make test-slurm" /etc/slurm/slurm.conf; then
  abort "/etc/slurm/slurm.conf exists and was not written by this test: not overwriting a real cluster's configuration"
fi
H=$(hostname -s)
getent hosts "$H" >/dev/null || echo "127.0.1.1 $H" >> /etc/hosts
[ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey -c
chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key
install -d -o munge -g munge -m 0755 /run/munge
p=$(cat /run/munge/munged.pid 2>/dev/null)
if [ "$(cat /proc/${p:-0}/comm 2>/dev/null)" != munged ]; then
  runuser -u munge -- /usr/sbin/munged || abort "munged did not start"
  STARTED+=("/run/munge/munged.pid munged")
fi
timeout 30 bash -c 'until munge -n | unmunge >/dev/null 2>&1; do sleep 0.1; done' || abort "munge does not answer"

# --- 3. slurm.conf, daemons, readiness --------------------------------------------------------------
NODELINE=$(slurmd -C | head -n1)
cat > /etc/slurm/slurm.conf <<EOF
# written by rnnlab make test-slurm (Tests/slurm/test-slurm.sh): a single-node test cluster
ClusterName=local
SlurmctldHost=$H
SlurmUser=slurm
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
$NODELINE State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
install -d -o slurm -g slurm -m 0755 /var/spool/slurmctld /var/log/slurm
install -d -m 0755 /var/spool/slurmd
slurmctld && STARTED+=("/run/slurmctld.pid slurmctld")
slurmd && STARTED+=("/run/slurmd.pid slurmd")
timeout 60 bash -c 'until [ "$(sinfo -h -o %t 2>/dev/null)" = idle ]; do sleep 0.5; done' || abort "the node did not become idle"
timeout 60 srun -n1 true || abort "srun -n1 true failed"
say "slurm is up ($(sinfo -V), node $H)"
# Jobs of an earlier, interrupted run of this test come back from the state directory: cancel them.
scancel --name=rnnlab-slurm-smoke 2>/dev/null; scancel --name=rnnlab-slurm-smoke-report 2>/dev/null
timeout 30 bash -c 'while [ -n "$(squeue -h 2>/dev/null)" ]; do sleep 0.5; done'

# --- 4. The local reference ------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/rnnlab-test-slurm.XXXXXX)
mkdir -p "$WORK/experiments" && cp "$EXPERIMENT" "$WORK/experiments/slurm-smoke.yaml"
cd "$WORK"
export RNNLAB_PLAIN=1
start=$(date +%s)
check "local rnnlab run of the smoke experiment" "$RNNLAB" run slurm-smoke --results local --jobs 2 > local.log 2>&1
say "local run: $(( $(date +%s) - start )) s"

wait_for_jobs() {   # wait_for_jobs SECONDS JOB...: poll squeue until none of the jobs is queued or running
  local deadline=$(( $(date +%s) + $1 )); shift
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ -z "$(squeue -h -j "$(IFS=,; echo "$*")" 2>/dev/null)" ] && return 0
    sleep 0.3
  done
  say "jobs $* still in the queue after the time allowed:"; squeue; return 1
}
runs_dir=cluster/slurm-smoke/runs
slurm_dir=cluster/slurm-smoke/slurm

# --- 5. Without --submit: the scripts and the commands, nothing submitted ---------------------------
"$RNNLAB" slurm slurm-smoke --results cluster --time 00:10:00 > print.log 2>&1
check "without --submit: prints the array script (4 tasks)" grep -q "^#SBATCH --array=0-3$" print.log
check "without --submit: prints the sbatch commands" grep -q 'sbatch --parsable "--dependency=afterany:$array"' print.log
check "without --submit: nothing is queued" test -z "$(squeue -h)"

# --- 6. Submit; cancel a GRU task once it has checkpointed two epochs -------------------------------
"$RNNLAB" slurm slurm-smoke --results cluster --time 00:10:00 --submit > submit1.log 2>&1
array1=$(sed -n 's/.*submitted array job \([0-9]*\) .*/\1/p' submit1.log)
report1=$(sed -n 's/.*submitted report job \([0-9]*\) .*/\1/p' submit1.log)
JOBS+=("$array1" "$report1")
[ -n "$array1" ] && [ -n "$report1" ] || abort "rnnlab slurm --submit printed no job ids: $(cat submit1.log)"
check "the first submission has 4 tasks" grep -q "(4 tasks" submit1.log
check "the report job depends on the array (afterany)" \
  bash -c "scontrol show job $report1 | grep -q 'Dependency=afterany:${array1}'"
target="" task=""
deadline=$(( $(date +%s) + 120 ))
while [ -z "$target" ] && [ "$(date +%s)" -lt "$deadline" ]; do
  # "  RUNID  running  model.cell=gru, seed S: step N (epoch E), heartbeat A s ago, HOST pid P, slurm job J_T"
  line=$("$RNNLAB" status slurm-smoke --results cluster 2>/dev/null \
         | awk '$2 == "running" && /model.cell=gru/ && /slurm job/ { for (i = 1; i <= NF; i++) if ($i == "(epoch") { e = $(i+1); sub(/\),?/, "", e); if (e + 0 >= 3) { print; exit } } }')
  if [ -n "$line" ]; then
    target=$(echo "$line" | awk '{print $1}')
    task=$(echo "$line" | sed -n 's/.*slurm job \([0-9]*_[0-9]*\).*/\1/p')
    echo "$line" > running-status.log
  else
    sleep 0.2
  fi
done
[ -n "$target" ] && [ -n "$task" ] || abort "no GRU task was seen running past its second epoch"
check "rnnlab status shows the running task with its step, heartbeat age and slurm job" \
  grep -Eq "running +model.cell=gru, seed [0-9]+: step [0-9]+ \(epoch [0-9]+\), heartbeat [0-9]+ s ago, .* slurm job ${array1}_" running-status.log
scancel "$task"
say "cancelled task $task (run $target): $(cat running-status.log | sed 's/^ *//')"
wait_for_jobs 240 "$array1" "$report1" || abort "the first submission did not finish"
"$RNNLAB" status slurm-smoke --results cluster > status1.log 2>&1
check "after the cancel: 3 runs complete" grep -q "slurm-smoke: 4 runs — 3 complete, 1 interrupted" status1.log
check "the cancelled run is interrupted, with a checkpoint" grep -Eq "^  $target  interrupted .*after epoch [1-9][0-9]*; resumes" status1.log
check "Slurm recorded the task as cancelled" bash -c "scontrol show job $task | grep -q 'JobState=CANCELLED'"
check "the cancelled task released its lock on SIGTERM" test ! -e "$runs_dir/$target.h5.lock"
check "one log per task, named %A_%a, beside the scripts" \
  bash -c "ls $slurm_dir/array-${array1}_{0,1,2,3}.out >/dev/null"
check "the report job ran after the cancelled array" test -s "$slurm_dir/report-$report1.out"
check "its summary.csv counts 1 of 2 GRU runs" grep -q '^"model.cell=gru",2,1,' cluster/slurm-smoke/summary.csv
check "its REPORT.md exists" test -s cluster/slurm-smoke/REPORT.md
cp cluster/slurm-smoke/REPORT.md report1.md

# --- 7. A silent lock from another node: dead; the resubmission takes it over and resumes ------------
printf '4242 node-b.cluster\ntoken lost-node\nheartbeat %s\nstep 99\nepoch 3\nslurm_job 1_1\n' "$(( $(date +%s) - 3600 ))" \
  > "$runs_dir/$target.h5.lock"
"$RNNLAB" status slurm-smoke --results cluster > status2.log 2>&1
check "a lock whose heartbeat is an hour old (other host, no pid check) is shown dead" \
  grep -Eq "^  $target  dead .*no heartbeat for 3[0-9]{3} s from node-b.cluster \(pid 4242\); redone" status2.log
sleep 1   # so that the regenerated reports are newer than this time
stamp=$(date +%s)
"$RNNLAB" slurm slurm-smoke --results cluster --time 00:10:00 --submit > submit2.log 2>&1
array2=$(sed -n 's/.*submitted array job \([0-9]*\) .*/\1/p' submit2.log)
report2=$(sed -n 's/.*submitted report job \([0-9]*\) .*/\1/p' submit2.log)
JOBS+=("$array2" "$report2")
[ -n "$array2" ] && [ -n "$report2" ] || abort "the resubmission printed no job ids: $(cat submit2.log)"
check "the resubmission has only the unfinished run" grep -q "(1 task," submit2.log
check "... and it is the cancelled one" grep -q "task 0: $target dead" submit2.log
check "the new array script lists exactly that run" bash -c "grep -q '^#SBATCH --array=0-0$' $slurm_dir/array.sbatch && grep -q '^  $target ' $slurm_dir/array.sbatch"
wait_for_jobs 240 "$array2" "$report2" || abort "the resubmission did not finish"
log2="$slurm_dir/array-${array2}_0.out"
check "the task took over the dead lock" grep -q "took over the lock of node-b.cluster pid 4242" "$log2"
check "the task resumed from its checkpoint" grep -Eq "resuming $target after epoch [1-9]" "$log2"
"$RNNLAB" status slurm-smoke --results cluster > status3.log 2>&1
check "every run is complete now" grep -q "slurm-smoke: 4 runs — 4 complete$" status3.log

# --- 8. The report job regenerated the reports ---------------------------------------------------------
check "the second report job ran" test -s "$slurm_dir/report-$report2.out"
check "summary.csv was regenerated: 2 of 2 GRU runs" grep -q '^"model.cell=gru",2,2,' cluster/slurm-smoke/summary.csv
check "REPORT.md was regenerated after the resubmission" \
  bash -c "[ \$(stat -c %Y cluster/slurm-smoke/REPORT.md) -ge $stamp ] && ! cmp -s report1.md cluster/slurm-smoke/REPORT.md"

# --- 9. The cluster's results equal the local ones, bit for bit ---------------------------------------
ids() { (cd "$1" && ls -1 *.h5 | sort); }
check "the same run ids as the local run" test "$(ids local/slurm-smoke/runs)" = "$(ids $runs_dir)"
same_final=1 same_h5=1
for f in $(ids local/slurm-smoke/runs); do
  a=$("$RNNLAB" show --json "local/slurm-smoke/runs/$f" | sed 's/.*"final": \({[^}]*}\).*/\1/')
  b=$("$RNNLAB" show --json "$runs_dir/$f" | sed 's/.*"final": \({[^}]*}\).*/\1/')
  [ -n "$a" ] && [ "$a" = "$b" ] || { same_final=0; say "$f: final metrics differ: local $a, cluster $b"; }
  for object in /final /weights/final /metrics/step/loss /metrics/epoch/valid_mse; do
    h5diff -q "local/slurm-smoke/runs/$f" "$runs_dir/$f" "$object" "$object" || { same_h5=0; say "$f: $object differs"; }
  done
done
check "identical final metrics (rnnlab show --json), including the resumed run" test $same_final -eq 1
check "identical /final, final weights, step losses and validation curves (h5diff, exact)" test $same_h5 -eq 1

# --- 10. Nothing left to do ----------------------------------------------------------------------------
"$RNNLAB" slurm slurm-smoke --results cluster --submit > submit3.log 2>&1
check "a third submission submits nothing" bash -c "grep -q 'nothing to submit' submit3.log && ! grep -q 'submitted' submit3.log"
"$RNNLAB" run slurm-smoke --results cluster --run "$target" > again.log 2>&1
check "rnnlab run --run on a complete run does nothing" grep -q "$target is already finished: nothing to do" again.log
say "done in $(( $(date +%s) - start )) s after slurm was up"
