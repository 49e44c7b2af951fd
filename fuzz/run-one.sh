#!/bin/bash
# Runs one already-built target binary (fuzz/target/run/<target>) for SECONDS
# (default 600) in fork mode with one worker, each log line time-stamped.
# Used when the sources changed after the build: `cargo fuzz run` would
# rebuild first. Usage: fuzz/run-one.sh TARGET [SECONDS]
cd "$(dirname "$0")"
t=$1
case $t in generated_eval) len=1024;; *) len=4096;; esac
mkdir -p logs artifacts/$t corpus-work/$t
# A target with a dictionary of its input's tokens (dicts/<target>.dict) gets it.
dict=()
[ -f "dicts/$t.dict" ] && dict=(-dict="dicts/$t.dict")
nice -n 10 target/run/$t corpus-work/$t -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -max_len=$len -rss_limit_mb=2048 -timeout=10 -max_total_time=${2:-600} -print_final_stats=1 \
  -artifact_prefix=artifacts/$t/ "${dict[@]}" 2>&1 |
  while IFS= read -r line; do printf '%s %s\n' "$(date -u +%H:%M:%S)" "$line"; done > logs/$t.log
