import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { conflictingInjectorsAnalyzer } from './conflictingInjectors';
import { conflictingServicePortsAnalyzer } from './conflictingServicePorts';
import { missingReferencesAnalyzer } from './missingReferences';
import { multipleSidecarsAnalyzer } from './multipleSidecars';
import { namespaceNotInjectedAnalyzer } from './namespaceNotInjected';
import { podMissingProxyAnalyzer } from './podMissingProxy';
import { servicePortNamingAnalyzer } from './servicePortNaming';

export {
  conflictingInjectorsAnalyzer,
  conflictingServicePortsAnalyzer,
  missingReferencesAnalyzer,
  multipleSidecarsAnalyzer,
  namespaceNotInjectedAnalyzer,
  podMissingProxyAnalyzer,
  servicePortNamingAnalyzer,
};

/** The rules that apply to every mesh. @public */
export function genericAnalyzers(): Analyzer[] {
  return [
    namespaceNotInjectedAnalyzer,
    podMissingProxyAnalyzer,
    conflictingInjectorsAnalyzer,
    multipleSidecarsAnalyzer,
    servicePortNamingAnalyzer,
    conflictingServicePortsAnalyzer,
    missingReferencesAnalyzer,
  ];
}
