export { EntityStatusService } from './EntityStatusService';
export { MeshStatusService } from './MeshStatusService';
