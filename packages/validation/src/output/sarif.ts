import type { Finding, FindingSeverity } from '@meshstage/plugin-mesh-common';
import { findingDocsUrl } from '@meshstage/plugin-mesh-common';
import type { FindingCodeInfo } from '@meshstage/plugin-mesh-node';

const LEVELS: Record<FindingSeverity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** Options of {@link toSarif}. @public */
export interface SarifOptions {
  /** The code registry, for the rules (help text and URIs). */
  codes: readonly FindingCodeInfo[];
  toolVersion?: string;
}

function resourceName(f: Finding): string | undefined {
  const r = f.resource;
  if (!r) return undefined;
  return r.namespace !== undefined
    ? `${r.kind}/${r.namespace}/${r.name}`
    : `${r.kind}/${r.name}`;
}

/**
 * A SARIF 2.1.0 log that GitHub code scanning accepts: one run, a rule per code with help text and
 * helpUri, results with a physical location (file URI relative to the source root, start line and
 * column) when the finding came from a file, the resource as a logical location, and suppressed
 * findings carried with a `suppressions` entry. File paths must already be relative, with `/`.
 * @public
 */
export function toSarif(
  findings: readonly Finding[],
  options: SarifOptions,
): Record<string, unknown> {
  const infos = new Map(options.codes.map(c => [c.code, c]));
  const used = [...new Set(findings.map(f => f.code))].sort();
  const rules = used.map(code => {
    const info = infos.get(code);
    const helpUri = findingDocsUrl(code);
    return {
      id: code,
      ...(info && { name: info.name }),
      shortDescription: { text: info?.summary ?? code },
      fullDescription: { text: info?.summary ?? code },
      help: {
        text: `${info?.help ?? 'See the documentation.'} ${helpUri}`,
        markdown: `${
          info?.help ?? 'See the documentation.'
        } [${code}](${helpUri})`,
      },
      helpUri,
      defaultConfiguration: { level: LEVELS[info?.severity ?? 'warning'] },
      ...(info?.istioCode && { properties: { istioCode: info.istioCode } }),
    };
  });
  const ruleIndex = new Map(used.map((c, i) => [c, i]));
  const results = findings.map(f => {
    const name = resourceName(f);
    const location: Record<string, unknown> = {};
    if (f.source) {
      location.physicalLocation = {
        artifactLocation: {
          uri: f.source.file
            .split('\\')
            .join('/')
            .split('/')
            .map(encodeURIComponent)
            .join('/'),
          uriBaseId: '%SRCROOT%',
        },
        region: { startLine: f.source.line, startColumn: f.source.column },
      };
    }
    if (name) {
      location.logicalLocations = [
        {
          fullyQualifiedName: `${name}${f.path ? `#${f.path}` : ''}`,
          kind: 'resource',
        },
      ];
    }
    return {
      ruleId: f.code,
      ruleIndex: ruleIndex.get(f.code),
      level: LEVELS[f.severity],
      message: { text: f.message },
      ...(Object.keys(location).length > 0 && { locations: [location] }),
      ...(f.suppressed && {
        suppressions: [
          {
            kind: f.suppressedBy === 'annotation' ? 'inSource' : 'external',
          },
        ],
      }),
      properties: {
        ...(f.istioCode && { istioCode: f.istioCode }),
        ...(f.path && { path: f.path }),
      },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'meshstage',
            informationUri: 'https://github.com/meshstage/meshstage',
            ...(options.toolVersion && { version: options.toolVersion }),
            rules,
          },
        },
        results,
      },
    ],
  };
}
