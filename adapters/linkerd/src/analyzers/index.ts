import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { injectionWithoutControlPlaneAnalyzer } from './injectionWithoutControlPlane';
import { opaquePortsAnalyzer } from './opaquePorts';
import { policyReferencesAnalyzer } from './policyReferences';
import { proxyVersionsAnalyzer } from './proxyVersions';
import { schemaValidationAnalyzer } from './schemaValidation';
import { serverSelectorAnalyzer } from './serverSelector';
import { serverPortsAnalyzer } from './serverPorts';

/** Linkerd's validation rules (codes MS03xx). */
export function linkerdAnalyzers(): Analyzer[] {
  return [
    injectionWithoutControlPlaneAnalyzer,
    serverSelectorAnalyzer,
    policyReferencesAnalyzer,
    opaquePortsAnalyzer,
    proxyVersionsAnalyzer,
    schemaValidationAnalyzer,
    serverPortsAnalyzer,
  ];
}
