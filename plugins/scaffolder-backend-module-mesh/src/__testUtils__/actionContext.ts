import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

/** The user the action tests run templates as. */
export const ann = mockCredentials.user('user:default/ann');

/**
 * Runs an action with `createMockActionContext` as {@link ann}, and returns its context, its
 * outputs by name and everything it logged. `createMockActionContext` takes neither `isDryRun`
 * nor the initiator's credentials, so they are set on its result.
 */
export async function runAction(
  action: TemplateAction<any, any, any> | undefined,
  input: Record<string, any>,
  options: { isDryRun?: boolean; workspacePath?: string } = {},
) {
  if (!action) throw new Error('action not registered');
  const logger = mockServices.logger.mock();
  const ctx = {
    ...createMockActionContext({
      input,
      logger,
      ...(options.workspacePath
        ? { workspacePath: options.workspacePath }
        : {}),
    }),
    isDryRun: options.isDryRun ?? false,
    getInitiatorCredentials: async () => ann,
  };
  const outputs = () =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls) as Record<
      string,
      any
    >;
  const logged = () =>
    [
      ...logger.info.mock.calls,
      ...logger.warn.mock.calls,
      ...logger.error.mock.calls,
    ].map(c => String(c[0]));
  const result = { ctx, outputs, logged, logger };
  try {
    await action.handler(ctx);
  } catch (error) {
    // The outputs and the log up to the failure matter to the tests too.
    Object.assign(error as object, { action: result });
    throw error;
  }
  return result;
}
