/**
 * The README is the user's first contract: its quick start, the list of every warning the library
 * can give, the rules of its cdk-nag pack and the kinds of finding of its access report.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Warnings } from '../src/private/warnings';

const SOURCE = (file: string) => readFileSync(join(__dirname, '..', 'src', file), 'utf8');

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  test('the quick start is exactly two commands: the sample and the whole test suite', () => {
    const quickStart = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(README);
    expect(quickStart).not.toBeNull();
    const commands = quickStart![1].trim().split('\n').map((line) => line.replace(/\s+#.*$/, ''));
    expect(commands).toEqual(['npm ci && npx projen sample', 'npm ci && npx projen test']);
  });

  test.each(Object.values(Warnings))('lists the warning %s with its meaning', (id) => {
    const name = id.split(':')[1];
    expect(README).toMatch(new RegExp(`^\\| \`${name}\` \\| [^|]+ \\| .{20,} \\|$`, 'm'));
  });

  test('lists no warning the library does not give', () => {
    const section = README.slice(README.indexOf('## Warnings'));
    const listed = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.values(Warnings).map((id) => id.split(':')[1]).sort());
  });

  test('lists every rule of the cdk-nag pack, and no other', () => {
    const applied = [...SOURCE('nag/cross-account-access-points-checks.ts').matchAll(/ruleSuffixOverride: '(\d+)'/g)].map((m) => `CAAP-${m[1]}`);
    const section = README.slice(README.indexOf('## A cdk-nag pack'), README.indexOf('## What is checked at synth'));
    const listed = [...section.matchAll(/^\| `(CAAP-\d+)` \| (error|warning) \| .{20,} \|$/gm)].map((m) => m[1]);
    expect(applied.length).toBe(7);
    expect(listed).toEqual(applied);
  });

  test('lists every kind of finding of the access report, and no other', () => {
    const declared = /export type FindingKind =([^;]+);/.exec(SOURCE('private/report/analyze.ts'))![1].match(/'[\w-]+'/g)!.map((k) => k.slice(1, -1));
    const section = README.slice(README.indexOf('## Access report'), README.indexOf('## A cdk-nag pack'));
    const listed = [...section.matchAll(/^\| `([\w-]+)` \| .{20,} \|$/gm)].map((m) => m[1]);
    expect(declared.length).toBeGreaterThan(4);
    expect(listed.sort()).toEqual(declared.sort());
  });
});
