export { openMeshDatabase, migrateMeshDatabase } from './migrateDatabase';
