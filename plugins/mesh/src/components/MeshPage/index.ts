export { MeshPage, MeshPageContent } from './MeshPage';
export type { MeshPageContentProps } from './MeshPage';
export { FleetGrid } from './FleetGrid';
export { ComparisonTable } from './ComparisonPanel';
export { MeshIcon } from './MeshIcon';
