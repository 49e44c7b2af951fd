#!/bin/bash
# One target at a time, 10 minutes each, continuing past crashes (fork mode).
cd "$(dirname "$0")"
for t in "$@"; do
  case $t in rules_round_trip) len=4096;; data_load) len=4096;; *) len=1024;; esac
  cargo +nightly fuzz run -O $t corpus-work/$t -- -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_len=$len -rss_limit_mb=2048 -timeout=10 -max_total_time=600 \
    -artifact_prefix=artifacts/$t/ > logs/$t.log 2>&1
done
