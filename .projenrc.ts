import { awscdk, javascript } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-cross-account-access-points',
  description:
    'AWS CDK constructs for sharing an Amazon S3 bucket across accounts with cross-account access points: ' +
    'the owner delegates a boundary in the bucket policy, each consumer account builds its own access point and grants.',
  keywords: [
    'cdk',
    'awscdk',
    'aws-cdk',
    's3',
    'access-point',
    'access-points',
    'cross-account',
    'data-mesh',
    'data-sharing',
    'data-marketplace',
  ],
  license: 'Apache-2.0',
  // The package's command, compiled by jsii into lib/: it needs no TypeScript.
  bin: { 'cdk-cross-account-access-points': 'lib/cli.js' },
  author: 'cdk-cross-account-access-points maintainers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/example/cdk-cross-account-access-points.git',
  homepage: 'https://github.com/example/cdk-cross-account-access-points#readme',
  bugsUrl: 'https://github.com/example/cdk-cross-account-access-points/issues',
  // Honest until 1.0: the API may still change between minor versions (jsii marks every type experimental).
  stability: 'experimental',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // The peer floor (peerDependencies aws-cdk-lib ^cdkVersion; projen pins the devDependency to it, so the
  // tests run on it too). The constructs alone need 2.252.0 (core `Validations.of().acknowledge`), but the
  // package's cdk-nag 3 pack (CrossAccountAccessPointsChecks) needs the construct tree on the validation
  // context (`appConstruct`), from 2.258.0: cdk-nag 3 declares ^2.257.0, yet on 2.257.0 every pack fails
  // with "requires a construct tree". .ci/run proves the floor: the packed package, installed with every
  // peer at the lowest version its range allows, synthesizes the sample with both packs clean.
  cdkVersion: '2.258.0',
  constructsVersion: '10.5.1',

  // TypeScript 7 has no JavaScript compiler API (ts-jest, ts-node, typescript-eslint need it), so stay on 6.0.
  // With TypeScript 6.0 pinned, minNodeVersion 20.16.0 keeps npm from asking for a missing @types/node tag.
  typescriptVersion: '~6.0.3',
  jsiiVersion: '~6.0.0',
  minNodeVersion: '20.16.0',

  // Tests and eslint read one development tsconfig at the top level.
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: { compilerOptions: {}, include: ['.projenrc.ts'], exclude: ['node_modules', 'lib', 'cdk.out'] },

  // The cdk-nag pack (CrossAccountAccessPointsChecks) extends cdk-nag 3's NagPack.
  peerDeps: ['cdk-nag@^3.0.2'],

  devDeps: [
    'aws-cdk@2.1148.1',
    'cdk-nag@^3.0.2',
    '@cloud-copilot/iam-simulate@^0.1.173',
    '@cloud-copilot/iam-policy@^0.1.109',
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    'fast-check@^4.11.0',
    'ajv@^8.20.0',
    // The HTML access report inlines Mermaid (copied into lib/vendor at compile); the browser test drives Debian's chromium.
    'mermaid@^11.17.2',
    'puppeteer-core@^24.0.0',
  ],

  jestOptions: {
    // `test` never writes snapshots; `test:update` is the explicit task that refreshes them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      snapshotSerializers: ['<rootDir>/test/support/strip-asset-hashes.ts'],
      // Coverage instrumentation cost a third of the suite's time here (84 s against 60 s), and
      // nothing reads it: the access matrix and the mutation checks measure the tests' strength.
      collectCoverage: false,
    },
  },

  eslintOptions: {
    tsconfigPath: './tsconfig.dev.json',
    projectService: false,
    dirs: ['src'],
    devdirs: ['test', 'browser-test', 'sample', 'bench', 'projenrc', '.projenrc.ts'],
  },

  // Construct Hub and the jsii languages. Offline, `npx jsii-pacmak --code-only` generates all four.
  publishToPypi: { distName: 'cdk-cross-account-access-points', module: 'cdk_cross_account_access_points' },
  publishToMaven: {
    javaPackage: 'io.github.example.cdk.crossaccountaccesspoints',
    mavenGroupId: 'io.github.example',
    mavenArtifactId: 'cdk-cross-account-access-points',
  },
  publishToNuget: { dotNetNamespace: 'Example.Cdk.CrossAccountAccessPoints', packageId: 'Example.Cdk.CrossAccountAccessPoints' },
  publishToGo: { moduleName: 'github.com/example/cdk-cross-account-access-points-go' },

  gitignore: ['/cdk.out/', '/.jsii-pacmak/', '/.jsii.tabl.json', '/bench/.build/'],
  npmignoreEnabled: true,
});

project.npmignore?.addPatterns('/sample/', '/bench/', '/browser-test/', '/cdk.out/', '/tsconfig.dev.json', '/.ci/', '/rosetta/');
// The rosetta tablet (the README and @example snippets, translated) ships next to .jsii, under that name:
// jsii-pacmak and Construct Hub (jsii-docgen, which runs jsii-rosetta transliterate) look for it there.
project.npmignore?.addPatterns('!/.jsii.tabl.json');

// jsii warnings (including reserved words that other languages cannot carry) fail the build.
project.compileTask.reset('jsii --fail-on-warnings');

// README and @example snippets compile in strict mode against the built assembly (the fixture is
// rosetta/default.ts-fixture), so the examples users copy into Python, Java, .NET and Go work.
const rosetta = project.addTask('rosetta', {
  description: 'Compile every README and @example snippet with jsii-rosetta (strict); run after compile',
  exec: 'jsii-rosetta extract --strict --compile',
});
// In the build, after compile (so before every package:* task and release): the package ships a fresh tablet.
project.postCompileTask.spawn(rosetta);

// The sample app: synthesized offline by the real CDK CLI, then the access report of what it shares.
const sample = project.addTask('sample', {
  description: 'Synthesize the two-stack sample app (owner and consumer) into cdk.out/ and print the access report of what it shares',
  env: {
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
  },
});
sample.exec(
  'cdk synth --app "ts-node --prefer-ts-exts --project tsconfig.dev.json sample/main.ts" --output cdk.out --quiet --no-notices --no-version-reporting',
  { receiveArgs: true },
);
sample.exec('ts-node --prefer-ts-exts --project tsconfig.dev.json src/cli.ts report cdk.out');

// The HTML report inlines Mermaid: the package carries its single-file build (MIT) next to the command.
project.compileTask.exec('mkdir -p lib/vendor && cp node_modules/mermaid/dist/mermaid.min.js lib/vendor/ && cp node_modules/mermaid/LICENSE lib/vendor/mermaid.LICENSE');

// The report's diagram and HTML page in a real headless browser (Debian's chromium, which .ci/run
// installs when missing): apart from `test`, which must pass on a machine with only Node.
project.addTask('test:browser', {
  description: 'Render the access report\'s Mermaid diagram and HTML page in headless chromium; fail on a parse or page error',
  exec: 'ts-node --prefer-ts-exts --project tsconfig.dev.json browser-test/report.browser.ts',
});

// The synth benchmark (a script, not a test): the library against a hand-written L1 app writing the
// same templates. Both run as compiled JavaScript: the library from lib/ (jsii), the apps from bench/.build (tsc).
const bench = project.addTask('bench', {
  description: 'Compare synth time, peak memory and bucket policy size with a hand-written L1 app, at 10, 100 and 1000 consumer accounts (-- --accounts 10,100 for fewer)',
});
bench.spawn(project.compileTask);
bench.exec('tsc -p bench/tsconfig.json');
bench.exec('node bench/.build/bench/bench.js', { receiveArgs: true });

// Capacity: how many delegations fit in one bucket policy, next to the smallest hand-written policy.
const capacity = project.addTask('capacity', {
  description: 'Print how many delegations of each shape fit in one bucket policy, next to a minimal hand-written policy',
});
capacity.spawn(project.compileTask);
capacity.exec('tsc -p bench/tsconfig.json');
capacity.exec('node bench/.build/bench/capacity.js');

project.synth();
