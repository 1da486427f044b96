/**
 * Validation routes of `/api/mesh`. (Being filled in: see MeshApi.ts.)
 * @public
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface MeshValidationApi {}
