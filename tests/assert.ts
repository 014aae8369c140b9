/**
 * The few assertions the tests use, on top of node:assert/strict (deno std
 * cannot be fetched here).
 *
 * @module
 */

import assert from "node:assert/strict";

/** Deep, strict equality. */
export function assertEquals<T>(
  actual: T,
  expected: T,
  message?: string,
): void {
  assert.deepStrictEqual(actual, expected, message);
}

/** A condition that must hold; `message` says what it means. */
export function assertTrue(condition: boolean, message: string): void {
  assert.ok(condition, message);
}

/**
 * Expects `fn` to throw an instance of `type` (whose message includes
 * `includes`, when given) and returns the error for further checks.
 */
export function assertThrows<E extends Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  type: new (...args: any[]) => E,
  includes?: string,
): E {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${err}`);
    if (includes !== undefined) {
      assert.ok(
        err.message.includes(includes),
        `expected "${includes}" in "${err.message}"`,
      );
    }
    return err;
  }
  throw new assert.AssertionError({
    message: `expected ${type.name}, nothing was thrown`,
  });
}

/**
 * Expects the promise `fn` returns to reject with an instance of `type`
 * (whose message includes `includes`, when given); returns the error.
 */
export async function assertRejects<E extends Error>(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  type: new (...args: any[]) => E,
  includes?: string,
): Promise<E> {
  let error: unknown;
  try {
    await fn();
  } catch (err) {
    error = err;
  }
  return assertThrows(
    () => {
      if (error !== undefined) throw error;
    },
    type,
    includes,
  );
}
