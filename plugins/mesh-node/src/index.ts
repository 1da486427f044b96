/**
 * The MeshAdapter contract, the extension point adapters register through, and a test kit for
 * adapter authors.
 *
 * @packageDocumentation
 */
export * from './kube';
export * from './adapter';
export * from './extensions';
export * from './images';
export * from './pods';
export * from './objects';
export * from './testUtils';
export * from './analysis';
export * from './workloads';
export * from './planSteps';
export * from './canaryGate';
export * from './planDiff';
export * from './sampleApps';
export * from './sampleWorkloads';
export * from './compareManagedFields';
export * from './charts';
export * from './secrets';
export * from './topology';
export * from './labelSelector';
export * from './gatewayRoutes';
