// A failed create or update that records on the resource what the host really runs now.

/**
 * Thrown from create/update after the host was touched. The dynamic provider host turns an error carrying
 * `id` and `properties` into a partial failure, so the engine stores `properties` as the resource's state
 * (the truth about the host) and still fails the step with `message`.
 */
export class ComponentFailure extends Error {
  override readonly name = "ComponentFailure";
  constructor(
    message: string,
    readonly id: string,
    /** The outputs to record, including the `__provider` input so later operations can load the provider. */
    readonly properties: Record<string, unknown>,
    readonly reasons: readonly string[] = [message],
  ) {
    super(message);
  }
}
