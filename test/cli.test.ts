/**
 * The package's command, `cdk-cross-account-access-points`: what a platform team runs on a
 * sharing manifest before it deploys anything.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCommand } from '../src/cli';
import { oversized } from './support/manifests';

const ROOT = join(__dirname, '..');
const SAMPLE = join(ROOT, 'sample', 'sharing.json');

/** Run the command; return its exit code and what it wrote. */
function run(...args: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** A manifest file in a fresh temporary folder. */
function manifestFile(document: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'sharing.json');
  writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document));
  return file;
}

describe('validate MANIFEST', () => {
  test('the sample manifest is valid: exit 0 and nothing on stderr', () => {
    const result = run('validate', SAMPLE);
    expect(result).toEqual({ code: 0, out: [`${SAMPLE}: valid`], err: [] });
  });

  test('a manifest with problems: exit 1 and one line per problem, PATH: message', () => {
    // GIVEN the sample with the blog's principal ARN (no empty Region field) and an unknown dataset
    const sample = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    sample.subscriptions[0].grants[0].principal = 'arn:aws:iam:111122223333:user/Jane';
    sample.subscriptions[1].dataset = 'no-such-dataset';
    // WHEN it is validated
    const result = run('validate', manifestFile(sample));
    // THEN each problem is one line that starts with its path in the document
    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err).toEqual(expect.arrayContaining([
      expect.stringMatching(/^subscriptions\[0\]\.grants\[0\]\.principal: .*must have an empty Region field/),
      expect.stringMatching(/^subscriptions\[1\]\.dataset: .*no-such-dataset/),
    ]));
    expect(result.err.every((line) => /^[\w.[\]]+: /.test(line))).toBe(true);
  });

  test('policies over their size limit: exit 1, each at the path of its dataset or subscription', () => {
    // GIVEN a dataset delegating to more accounts than a bucket policy holds, and a subscription
    // with more grants than an access point policy holds
    const result = run('validate', manifestFile(oversized()));
    // THEN both are reported where they come from in the document
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      expect.stringMatching(/^datasets\[0\]: .*bucket policy .* bytes/),
      expect.stringMatching(/^subscriptions\[0\]: .*access point policy .* bytes/),
    ]);
  });

  test('a file that is not JSON: exit 1, naming the file', () => {
    const file = manifestFile('{ not json');
    const result = run('validate', file);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable JSON document`))]);
  });

  test('no verb, or an unknown one: exit 2 and the usage', () => {
    expect(run()).toEqual({ code: 2, out: [], err: expect.arrayContaining([expect.stringMatching(/^usage: cdk-cross-account-access-points validate\|app MANIFEST/)]) });
    expect(run('deploy', SAMPLE).code).toBe(2);
  });
});

describe('the command as the package ships it', () => {
  test('package.json names it as bin, on the JavaScript jsii compiles: no TypeScript needed', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(manifest.bin).toEqual({ 'cdk-cross-account-access-points': 'lib/cli.js' });
    expect(readFileSync(join(ROOT, 'src', 'cli.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
