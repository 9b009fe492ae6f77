import "server-only";

/**
 * What the limits shared through the store (Tanma's schedule, the API limit, sign-in lock-outs) do while the
 * store cannot be reached: the process's own count stands in, so an outage neither opens the limit nor
 * refuses everyone. The switch is logged once each way (`<name>_unshared`, `<name>_shared_again`), not per
 * request.
 */
export class LocalFallback {
  private fallingBack = false;

  constructor(private readonly name: string) {}

  /** `shared()`, or `local()` when it fails. */
  async run<T>(shared: () => Promise<T>, local: () => T): Promise<T> {
    try {
      const result = await shared();
      if (this.fallingBack) console.info(JSON.stringify({ event: `${this.name}_shared_again` }));
      this.fallingBack = false;
      return result;
    } catch (error) {
      if (!this.fallingBack) console.error(JSON.stringify({ event: `${this.name}_unshared`, level: "error", error: (error as Error).message }));
      this.fallingBack = true;
      return local();
    }
  }
}
