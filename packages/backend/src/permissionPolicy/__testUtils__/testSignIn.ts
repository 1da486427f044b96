import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The header naming the user a test signs in as (`user:default/alice`). */
export const TEST_USER_HEADER = 'x-meshstage-test-user';

/**
 * For tests only: an auth provider (`test`) that signs in the catalog User the request's
 * {@link TEST_USER_HEADER} names, with the catalog sign-in resolver, so the auth backend issues
 * real Backstage tokens whose ownership refs are the user and the groups the catalog says the user
 * is a member of. `GET /api/auth/test/refresh` answers `{ backstageIdentity: { token } }`.
 */
export const testSignInModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'meshstage-test-sign-in',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'test',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: () => undefined,
              async authenticate({ req }) {
                const user = req.header(TEST_USER_HEADER);
                if (!user) {
                  throw new Error(`No ${TEST_USER_HEADER} header`);
                }
                return { result: { user } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({
                entityRef: (result as { user: string }).user,
              }),
          }),
        });
      },
    });
  },
});
