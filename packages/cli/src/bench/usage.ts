import { MESHPERF_USAGE } from '@meshstage/loadgen';

/** meshperf's option sections (Load, Request, Output, Thresholds), so both always agree. */
function meshperfOptions(): string {
  const start = MESHPERF_USAGE.indexOf('Load:');
  const end = MESHPERF_USAGE.indexOf('\nExit codes');
  return MESHPERF_USAGE.slice(start, end).trimEnd();
}

/** The usage text of `meshstage bench --help`. */
export function benchUsage(): string {
  return `Usage: meshstage bench <url> [<url>...] [options]
       meshstage bench --profile <file> [thresholds] [-o <fmt>] [--output-file <file>]

Sends load to HTTP or gRPC targets with meshperf's engine and gates a pipeline step on the
result. The load, request, output and threshold options are meshperf's: same names, same
meanings.

Profile and output file:
      --profile <file>      a performance profile (YAML or JSON) in the shape the MeshStage
                            backend stores: endpoints, protocol, connections, rate,
                            duration or requestCount, warmup, timeout, thresholds
                            (maxP99, maxErrorRate). Only thresholds, -o, --labels and
                            --output-file may be added; a threshold flag overrides the
                            profile's
      --output-file <file>  write the result document there (format: -o, default json)
                            and print the text summary on stdout

${meshperfOptions()}

Exit codes: 0 ok, 1 threshold broken, 2 bad usage or input, 3 the run itself failed.
`;
}
