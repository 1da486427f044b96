import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { alphaAnnotationsAnalyzer } from './alphaAnnotations';
import { annotationsAnalyzer } from './annotations';
import { applicationUidAnalyzer } from './applicationUid';
import { authorizationPolicyWorkloadsAnalyzer } from './authorizationPolicyWorkloads';
import { conflictingGatewaysAnalyzer } from './conflictingGateways';
import { conflictingServiceEntryProtocolsAnalyzer } from './conflictingServiceEntryProtocols';
import { conflictingVirtualServiceHostsAnalyzer } from './conflictingVirtualServiceHosts';
import { deprecatedFieldsAnalyzer } from './deprecatedFields';
import { deploymentConflictingPortsAnalyzer } from './deploymentConflictingPorts';
import { destinationRuleCaCertificatesAnalyzer } from './destinationRuleCaCertificates';
import { destinationRuleCredentialsAnalyzer } from './destinationRuleCredentials';
import { destinationRuleHostsAnalyzer } from './destinationRuleHosts';
import { destinationRuleSubsetPodsAnalyzer } from './destinationRuleSubsetPods';
import { destinationSubsetsAnalyzer } from './destinationSubsets';
import { envoyFilterPatchesAnalyzer } from './envoyFilterPatches';
import { externalControlPlaneAnalyzer } from './externalControlPlane';
import { externalNameServicePortsAnalyzer } from './externalNameServicePorts';
import { gatewayApiCrdVersionsAnalyzer } from './gatewayApiCrdVersions';
import { gatewayCredentialsAnalyzer } from './gatewayCredentials';
import { gatewayDuplicateCertificatesAnalyzer } from './gatewayDuplicateCertificates';
import { gatewayPolicySelectorsAnalyzer } from './gatewayPolicySelectors';
import { gatewayPortsAnalyzer } from './gatewayPorts';
import { gatewaySecretsAnalyzer } from './gatewaySecrets';
import { jwksCidrsAnalyzer } from './jwksCidrs';
import { jwtClaimRoutesAnalyzer } from './jwtClaimRoutes';
import { meshNetworksRegistriesAnalyzer } from './meshNetworksRegistries';
import { mixedProxyVersionsAnalyzer } from './mixedProxyVersions';
import { mtlsConflictAnalyzer } from './mtlsConflict';
import { negativeConditionsAnalyzer } from './negativeConditions';
import { namespaceInjectionAnalyzer } from './namespaceInjection';
import { namespaceReferencesAnalyzer } from './namespaceReferences';
import { proxyImageMismatchAnalyzer } from './proxyImageMismatch';
import { regexAnalyzer } from './regex';
import { schemaValidationAnalyzer } from './schemaValidation';
import { schemaWarningsAnalyzer } from './schemaWarnings';
import { selectorNoWorkloadAnalyzer } from './selectorNoWorkload';
import { serviceEntryAddressesAnalyzer } from './serviceEntryAddresses';
import { sidecarSelectorsAnalyzer } from './sidecarSelectors';
import { telemetryDefaultsAnalyzer } from './telemetryDefaults';
import { telemetryProvidersAnalyzer } from './telemetryProviders';
import { virtualServiceGatewayHostsAnalyzer } from './virtualServiceGatewayHosts';
import { virtualServiceGatewaysAnalyzer } from './virtualServiceGateways';
import { virtualServiceHostsAnalyzer } from './virtualServiceHosts';
import { imageAutoAnalyzer } from './imageAuto';
import { ingressRouteSubsetsAnalyzer } from './ingressRouteSubsets';
import { injectionWebhooksAnalyzer } from './injectionWebhooks';
import { withIstioView } from './istioView';
import { telemetrySelectorsAnalyzer } from './telemetrySelectors';
import { unreachableRulesAnalyzer } from './unreachableRules';
import { workloadEntriesAnalyzer } from './workloadEntries';

/**
 * Istio's validation rules (codes MS02xx), each seeing the snapshot without the namespaces
 * istioctl ignores (`istioView`).
 */
export function istioAnalyzers(): Analyzer[] {
  return [
    virtualServiceHostsAnalyzer,
    virtualServiceGatewaysAnalyzer,
    virtualServiceGatewayHostsAnalyzer,
    destinationSubsetsAnalyzer,
    gatewaySecretsAnalyzer,
    conflictingVirtualServiceHostsAnalyzer,
    sidecarSelectorsAnalyzer,
    mtlsConflictAnalyzer,
    selectorNoWorkloadAnalyzer,
    regexAnalyzer,
    unreachableRulesAnalyzer,
    annotationsAnalyzer,
    alphaAnnotationsAnalyzer,
    externalNameServicePortsAnalyzer,
    deploymentConflictingPortsAnalyzer,
    envoyFilterPatchesAnalyzer,
    namespaceInjectionAnalyzer,
    proxyImageMismatchAnalyzer,
    negativeConditionsAnalyzer,
    serviceEntryAddressesAnalyzer,
    conflictingServiceEntryProtocolsAnalyzer,
    authorizationPolicyWorkloadsAnalyzer,
    gatewayCredentialsAnalyzer,
    gatewayDuplicateCertificatesAnalyzer,
    applicationUidAnalyzer,
    telemetrySelectorsAnalyzer,
    telemetryDefaultsAnalyzer,
    meshNetworksRegistriesAnalyzer,
    gatewayPolicySelectorsAnalyzer,
    externalControlPlaneAnalyzer,
    injectionWebhooksAnalyzer,
    destinationRuleSubsetPodsAnalyzer,
    deprecatedFieldsAnalyzer,
    imageAutoAnalyzer,
    gatewayApiCrdVersionsAnalyzer,
    jwksCidrsAnalyzer,
    jwtClaimRoutesAnalyzer,
    ingressRouteSubsetsAnalyzer,
    gatewayPortsAnalyzer,
    mixedProxyVersionsAnalyzer,
    schemaValidationAnalyzer,
    schemaWarningsAnalyzer,
    destinationRuleHostsAnalyzer,
    namespaceReferencesAnalyzer,
    telemetryProvidersAnalyzer,
    workloadEntriesAnalyzer,
    destinationRuleCredentialsAnalyzer,
    conflictingGatewaysAnalyzer,
    destinationRuleCaCertificatesAnalyzer,
  ].map(withIstioView);
}
