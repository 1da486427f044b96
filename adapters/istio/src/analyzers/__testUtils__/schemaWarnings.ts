// Test-only: runs MS0272 over YAML through the real engine, findings in a form tests compare.
import { run } from './run';
import { schemaWarningsAnalyzer } from '../schemaWarnings';

/** `[resource name, path, Istio's text]` of each MS0272 finding over `yaml`. */
export function warnings(yaml: string): Array<[string, string, string]> {
  return run(schemaWarningsAnalyzer, yaml).map(f => {
    expect(f.istioCode).toBe('IST0133');
    return [
      f.resource?.name ?? '',
      f.path ?? '',
      f.message.replace(/^Schema validation warning: /, ''),
    ];
  });
}
