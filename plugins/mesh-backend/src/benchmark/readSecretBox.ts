import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { SecretBox } from './SecretBox';

/**
 * The {@link SecretBox} of `mesh.benchmark.secretKey`. Without the setting, a key that lives as
 * long as this process: secret headers work until the backend restarts (a warning says so).
 */
export function readSecretBox(
  config: Config,
  logger: LoggerService,
): SecretBox {
  const key = config.getOptionalString('mesh.benchmark.secretKey');
  if (key) return new SecretBox(key);
  logger.warn(
    'mesh.benchmark.secretKey is not set: secret benchmark headers saved now cannot be read after a restart or by another backend instance',
  );
  return SecretBox.ephemeral();
}
