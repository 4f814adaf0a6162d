// Helpers shared by the integration suite files (each is bundled with what it imports).

/** Polls `get` every 100 ms until it gives a value; fails naming `what` after `ms`. */
export async function waitFor<T>(what: string, get: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
