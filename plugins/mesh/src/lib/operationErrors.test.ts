import { errorMessage, operationConflict } from './operationErrors';

const HOLDER = '4b13dbcf-432c-407b-a5cb-fdbedf81c634';
const lockMessage = `Operation ${HOLDER} is in progress on cluster 'dev' for mesh 'istio'; wait for it to finish, or resume or revert it if it was interrupted`;

describe('operationConflict', () => {
  it('reads the message and the holder from a 409 body', () => {
    expect(
      operationConflict({
        name: 'ResponseError',
        statusCode: 409,
        body: {
          error: { name: 'ConflictError', message: lockMessage },
          operationId: HOLDER,
        },
      }),
    ).toEqual({ message: lockMessage, operationId: HOLDER });
  });

  it('finds the holder in the lock message when the body lacks the field', () => {
    expect(
      operationConflict({ statusCode: 409, cause: { message: lockMessage } }),
    ).toEqual({ message: lockMessage, operationId: HOLDER });
  });

  it('has no holder for other conflicts, and is undefined for other errors', () => {
    const message = `Operation ${HOLDER} is succeeded; only interrupted, failed operations can be resumed`;
    expect(
      operationConflict({
        statusCode: 409,
        body: { error: { name: 'ConflictError', message } },
      }),
    ).toEqual({ message });
    expect(operationConflict({ statusCode: 400 })).toBeUndefined();
    expect(operationConflict(new Error('x'))).toBeUndefined();
    expect(operationConflict(undefined)).toBeUndefined();
  });
});

describe('errorMessage', () => {
  it('prefers the backend’s message', () => {
    expect(
      errorMessage({
        message: 'Request failed with 500',
        cause: { message: 'db gone' },
      }),
    ).toBe('db gone');
    expect(errorMessage(new Error('plain'))).toBe('plain');
  });
});
