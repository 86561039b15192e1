"""The closing lines of a parallel-posting bench (bench-comments, bench-proposals)."""

import statistics


def print_load_summary(*, posts: int, elapsed: float, latencies, problems, checks: str) -> None:
    """Throughput, latency and either the problems found or what was checked."""
    print(f"throughput          {posts / elapsed:.1f} requests/s")
    if len(latencies) > 1:
        p95 = statistics.quantiles(latencies, n=20)[-1]
        print(
            f"latency             p50 {statistics.median(latencies):.0f} ms, "
            f"p95 {p95:.0f} ms, max {max(latencies):.0f} ms"
        )
    if problems:
        print(f"FAILED: {len(problems)} problems")
        for problem in problems[:20]:
            print(f"  {problem}")
    else:
        print(f"checks              {checks}")
