export { EntityStatusService } from './EntityStatusService';
export { MeshStatusService } from './MeshStatusService';
export { FleetService } from './FleetService';
export type { FleetSources } from './FleetService';
export { createFleetRouter } from './fleetRouter';
