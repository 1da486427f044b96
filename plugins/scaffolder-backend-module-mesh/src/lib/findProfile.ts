import { InputError } from '@backstage/errors';
import type { BenchmarkProfile } from '@meshstage/plugin-mesh-common';

/**
 * The stored profile a template names by id or by name (the `meshstage.io/performance-profile`
 * annotation may hold either, as the Performance tab reads it): the id wins; a name must be
 * unique. Pure.
 */
export function findProfile(
  profiles: readonly BenchmarkProfile[],
  idOrName: string,
): BenchmarkProfile {
  const byId = profiles.find(p => p.id === idOrName);
  if (byId) return byId;
  const byName = profiles.filter(p => p.name === idOrName);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) {
    throw new InputError(
      `Invalid input 'profile': ${
        byName.length
      } benchmark profiles are named '${idOrName}' (ids ${byName
        .map(p => p.id)
        .join(', ')}); give the id`,
    );
  }
  throw new InputError(
    `Invalid input 'profile': no benchmark profile has the id or name '${idOrName}'${
      profiles.length
        ? ` (there are: ${profiles.map(p => `'${p.name}'`).join(', ')})`
        : ' (there are none yet: create one on the Performance tab)'
    }`,
  );
}
