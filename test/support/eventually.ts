/**
 * Waits until `check` holds, re-checking every few milliseconds. The guard only stops a hung test with a message
 * that says what never happened; it is deliberately long so that a slow, busy machine never turns it into a
 * timing assertion.
 */
export async function until(check: () => boolean | Promise<boolean>, what = 'condition', guardMs = 15_000): Promise<void> {
  const giveUpAt = Date.now() + guardMs;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`never reached: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
