/**
 * The README is the user's first contract: its quick start, and the list of every warning the
 * library can give.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Warnings } from '../src/private/warnings';

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
});
