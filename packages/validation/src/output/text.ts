import type { Finding } from '@meshstage/plugin-mesh-common';

function where(f: Finding): string {
  if (f.source) return `${f.source.file}:${f.source.line}:${f.source.column}`;
  return '(cluster)';
}

function what(f: Finding): string {
  const r = f.resource;
  if (!r) return '';
  return r.namespace !== undefined
    ? `${r.kind} ${r.namespace}/${r.name}`
    : `${r.kind} ${r.name}`;
}

/**
 * Human-readable report: one line per finding (`file:line:col severity CODE resource message`),
 * then a summary line.
 * @public
 */
export function formatText(findings: readonly Finding[]): string {
  const lines = findings.map(f => {
    const codes = f.istioCode ? `${f.code} (${f.istioCode})` : f.code;
    const res = what(f);
    const suppressed = f.suppressed ? ` [suppressed by ${f.suppressedBy}]` : '';
    return `${where(f)}  ${f.severity.padEnd(7)} ${codes}  ${
      res ? `${res}: ` : ''
    }${f.message}${suppressed}`;
  });
  const active = findings.filter(f => !f.suppressed);
  const count = (s: string) => active.filter(f => f.severity === s).length;
  const suppressed = findings.length - active.length;
  lines.push(
    findings.length === 0
      ? 'No problems found.'
      : `${count('error')} error(s), ${count('warning')} warning(s), ${count(
          'info',
        )} info${suppressed ? `, ${suppressed} suppressed` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}

/** The JSON report: exactly `{findings: [...]}`. @public */
export function formatJson(findings: readonly Finding[]): string {
  return `${JSON.stringify({ findings }, null, 2)}\n`;
}
