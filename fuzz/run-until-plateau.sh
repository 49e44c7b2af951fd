#!/bin/bash
# Runs one built target (target/run/<target>, see run-one.sh) until its
# coverage stops growing: it stops once `cov` (edges) has not grown for QUIET
# seconds (default 300), but not before MIN seconds (default 900); at most
# MAX seconds (default 2700). logs/<target>.end says which ended the run (not
# the log: the run's own writes, at their own offset, overwrote a line added there).
# Usage: fuzz/run-until-plateau.sh TARGET
cd "$(dirname "$0")"
t=$1
quiet=${QUIET:-300}
min=${MIN:-900}
max=${MAX:-2700}
./run-one.sh "$t" "$max" &
runner=$!
start=$(date +%s)
best=0
grew=$start
while kill -0 "$runner" 2>/dev/null; do
  sleep 20
  now=$(date +%s)
  cov=$(grep -o 'cov: [0-9]*' "logs/$t.log" 2>/dev/null | tail -1 | cut -d' ' -f2)
  if [ -n "$cov" ] && [ "$cov" -gt "$best" ]; then
    best=$cov
    grew=$now
  fi
  if [ $((now - start)) -ge "$min" ] && [ $((now - grew)) -ge "$quiet" ]; then
    echo "$(date -u +%H:%M:%S) plateau: cov $best, unchanged for $((now - grew)) s, after $((now - start)) s" >> "logs/$t.end"
    # The fork-mode parent does not always stop on SIGINT: its jobs and it are
    # killed outright after a grace period (the corpus is on disk already).
    pkill -INT -f "target/run/$t "
    sleep 15
    pkill -KILL -f "target/run/$t "
    wait "$runner"
    exit 0
  fi
done
echo "$(date -u +%H:%M:%S) no plateau: cov $best last grew $(( $(date +%s) - grew )) s before the end, after $(( $(date +%s) - start )) s" >> "logs/$t.end"
