-- wrk script of bench/wall: after the run, one line with the latency percentiles
-- (microseconds) that wrk's --latency table leaves out (p95), and the error counts.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "wall-bench: requests %d p50_us %d p95_us %d p99_us %d max_us %d errors %d timeouts %d\n",
    summary.requests, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.status, e.timeout))
end
