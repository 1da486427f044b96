import type { OutputFormat } from '../cli/args';
import type { LoadResult } from '../types';
import { toFortio } from './fortio';
import { toSmp } from './smp';
import { formatText } from './text';

/**
 * A result as `--output` asks for it, as meshperf (and `meshstage bench`) print it: the text
 * summary, the JSON result on one line, or fortio's and SMP's shapes indented. Pure.
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
