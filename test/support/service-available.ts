/**
 * `describe` when the service a suite needs is there (`problem` is `undefined`); otherwise the suite is
 * skipped with a one-line reason, except under `CI`, where a skip would hide a broken pipeline, so it fails.
 */
export function describeIfAvailable(
  name: string,
  problem: string | undefined,
  body: () => void,
): void {
  if (problem === undefined) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () =>
      it('needs its service', () => {
        throw new Error(`${problem} (CI is set, so this fails)`);
      }),
    );
  } else {
    process.stderr.write(`SKIP ${name}: ${problem}\n`);
    describe.skip(name, body);
  }
}
