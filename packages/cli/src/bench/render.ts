import {
  formatText,
  toFortio,
  toSmp,
  type LoadResult,
  type OutputFormat,
} from '@meshstage/loadgen';

/**
 * A result as `--output` asks for it, byte for byte as meshperf prints it: the text summary,
 * meshperf's JSON on one line, or fortio's and SMP's shapes indented. Pure.
 */
export function renderResult(result: LoadResult, output: OutputFormat): string {
  switch (output) {
    case 'json':
      return `${JSON.stringify(result)}\n`;
    case 'fortio':
      return `${JSON.stringify(toFortio(result), null, 2)}\n`;
    case 'smp':
      return `${JSON.stringify(toSmp(result), null, 2)}\n`;
    default:
      return formatText(result);
  }
}
