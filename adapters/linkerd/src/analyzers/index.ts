import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { annotationLabelsAnalyzer } from './annotationLabels';
import { authorizationPolicyRulesAnalyzer } from './authorizationPolicyRules';
import { certificateValidityAnalyzer } from './certificateValidity';
import { clusterNetworksAnalyzer } from './clusterNetworks';
import { controlPlaneExistenceAnalyzer } from './controlPlaneExistence';
import { identityCertificatesAnalyzer } from './identityCertificates';
import { injectionWithoutControlPlaneAnalyzer } from './injectionWithoutControlPlane';
import { meshTLSAuthenticationRulesAnalyzer } from './meshTLSAuthenticationRules';
import { networkRulesAnalyzer } from './networkRules';
import { opaquePortsAnalyzer } from './opaquePorts';
import { policyReferencesAnalyzer } from './policyReferences';
import { proxyTrustAnchorsAnalyzer } from './proxyTrustAnchors';
import { proxyVersionsAnalyzer } from './proxyVersions';
import { routeBackendsAnalyzer } from './routeBackends';
import { routeParentsAnalyzer } from './routeParents';
import { routeRulesAnalyzer } from './routeRules';
import { schemaValidationAnalyzer } from './schemaValidation';
import { serverAuthorizationRulesAnalyzer } from './serverAuthorizationRules';
import { serverAuthorizationSelectorAnalyzer } from './serverAuthorizationSelector';
import { serverConflictsAnalyzer } from './serverConflicts';
import { serverSelectorAnalyzer } from './serverSelector';
import { serverPortsAnalyzer } from './serverPorts';
import { webhookCertificatesAnalyzer } from './webhookCertificates';

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
    identityCertificatesAnalyzer,
    certificateValidityAnalyzer,
    webhookCertificatesAnalyzer,
    proxyTrustAnchorsAnalyzer,
    authorizationPolicyRulesAnalyzer,
    meshTLSAuthenticationRulesAnalyzer,
    networkRulesAnalyzer,
    serverAuthorizationRulesAnalyzer,
    routeRulesAnalyzer,
    serverConflictsAnalyzer,
    routeParentsAnalyzer,
    serverAuthorizationSelectorAnalyzer,
    annotationLabelsAnalyzer,
    clusterNetworksAnalyzer,
    routeBackendsAnalyzer,
    controlPlaneExistenceAnalyzer,
  ];
}
