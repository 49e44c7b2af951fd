#!/bin/bash
# One target at a time, SECONDS_PER_TARGET each (default 600), continuing past
# crashes (fork mode, one worker). Each log line gets the time of day, so the
# growth of cov/ft can be read from logs/<target>.log afterwards.
cd "$(dirname "$0")"
mkdir -p logs artifacts
for t in "$@"; do
  case $t in rules_round_trip) len=4096;; data_load) len=4096;; *) len=1024;; esac
  mkdir -p corpus-work/$t artifacts/$t
  nice -n 10 cargo +nightly fuzz run -O $t corpus-work/$t -- -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
    -ignore_ooms=1 -max_len=$len -rss_limit_mb=2048 -timeout=10 -max_total_time=${SECONDS_PER_TARGET:-600} \
    -print_final_stats=1 -artifact_prefix=artifacts/$t/ 2>&1 |
    while IFS= read -r line; do printf '%s %s\n' "$(date -u +%H:%M:%S)" "$line"; done > logs/$t.log
done
