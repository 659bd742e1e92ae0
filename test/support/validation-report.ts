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

interface Report {
  pluginReports: Array<{
    pluginName: string;
    violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }>;
  }>;
}

/** Each finding as `RULE at CONSTRUCT_PATH`, sorted. */
export function validationFindings(app: App): string[] {
  const exitCode = process.exitCode;
  const spies = [jest.spyOn(console, 'log').mockImplementation(() => {}), jest.spyOn(console, 'error').mockImplementation(() => {})];
  try {
    const assembly = app.synth();
    const file = path.join(assembly.directory, 'validation-report.json');
    if (!fs.existsSync(file)) {
      throw new Error('no validation report was written: were the plugins registered with Validations.of(app).addPlugins()?');
    }
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
    return report.pluginReports
      .flatMap((plugin) => plugin.violations)
      .flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`))
      .sort();
  } finally {
    spies.forEach((spy) => spy.mockRestore());
    process.exitCode = exitCode;
  }
}
