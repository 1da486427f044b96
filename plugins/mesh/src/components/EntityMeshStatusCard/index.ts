export { EntityMeshStatusCard } from './EntityMeshStatusCard';
