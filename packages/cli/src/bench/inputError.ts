/**
 * Bad usage or input to `meshstage bench`: exit code 2 with a one-line reason. Its own class
 * rather than validate's `UsageError` because the bench code is a separate bundle (loaded on
 * demand), where an `instanceof` against the other bundle's class would never match.
 */
export class BenchInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchInputError';
  }
}
