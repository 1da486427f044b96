/**
 * The performance profile as the mesh backend validates and runs it, for tools that run profile
 * files themselves (`meshstage bench`): the zod schema of `POST /benchmark/profiles` and the pure
 * mapping onto loadgen options and thresholds. A separate entry point, so a tool importing it does
 * not load the backend plugin.
 *
 * @packageDocumentation
 */
export {
  profileDurationMs,
  profileInputSchema,
} from './benchmark/profileSchema';
export type { ProfileSpec } from './benchmark/profileSchema';
export { toLoadOptions, toThresholds } from './benchmark/toLoadOptions';
