/**
 * Run an app's validation plugins (cdk-nag, cfn-guard) and return their findings.
 *
 * aws-cdk-lib reports plugin violations on the console, in `validation-report.json` and by setting
 * `process.exitCode`; it does not throw. This reads the report, so a test can assert on findings,
 * and restores the exit code, so a test that expects findings does not fail the jest run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';

/** One plugin's violation, as `validation-report.json` records it. */
export interface Violation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
  readonly violatingConstructs: Array<{ readonly constructPath: string }>;
}

interface Report {
  pluginReports: Array<{ pluginName: string; violations: Violation[] }>;
}

/** The violations the app's validation plugins report when it is synthesized, of `pluginName` only when given. */
export function validationViolations(app: App, pluginName?: string): Violation[] {
  const exitCode = process.exitCode;
  const spies = [jest.spyOn(console, 'log').mockImplementation(() => {}), jest.spyOn(console, 'error').mockImplementation(() => {})];
  try {
    const assembly = app.synth();
    const file = path.join(assembly.directory, 'validation-report.json');
    if (!fs.existsSync(file)) {
      throw new Error('no validation report was written: were the plugins registered with Validations.of(app).addPlugins()?');
    }
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
    return report.pluginReports.filter((p) => pluginName === undefined || p.pluginName === pluginName).flatMap((p) => p.violations);
  } finally {
    spies.forEach((spy) => spy.mockRestore());
    process.exitCode = exitCode;
  }
}

/** Each violation as `RULE at CONSTRUCT_PATH`, sorted. */
export function findingLines(violations: Violation[]): string[] {
  return violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`)).sort();
}

/** Each finding of the app's validation plugins as `RULE at CONSTRUCT_PATH`, sorted. */
export function validationFindings(app: App): string[] {
  return findingLines(validationViolations(app));
}
