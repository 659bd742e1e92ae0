/**
 * The library as users get it: the JavaScript that jsii wrote to lib/ (`npx projen compile`), so
 * that the library app pays no TypeScript cost the L1 app does not. Only its types come from src/.
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as Library from '../src';

const PACKAGE_NAME = 'cdk-cross-account-access-points';

/** The project's root: the nearest directory above this file whose package.json is this library's. */
export function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no package.json of ${PACKAGE_NAME} above ${__dirname}`);
    }
  }
}

/** The compiled entry point: lib/index.js. */
export function libraryEntryPoint(): string {
  const entry = path.join(projectRoot(), 'lib', 'index.js');
  if (!fs.existsSync(entry)) {
    throw new Error(`${entry} is missing: compile the library first (npx projen compile)`);
  }
  return entry;
}

export function loadLibrary(): typeof Library {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(libraryEntryPoint());
}
