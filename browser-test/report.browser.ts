/*
 * The access report as people see it, in a real headless browser (Debian's chromium): the Mermaid
 * diagram of the Markdown report must parse and render, and the HTML page must open without a
 * page error, draw its diagram and fetch nothing. Run by `npx projen test:browser`; exits 1 on any
 * failure.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import puppeteer, { Browser } from 'puppeteer-core';
import { createSampleApp } from '../sample/sample-app';
import { CrossAccountAccessPoint, DelegatedBucket, NetworkOrigin, S3Actions } from '../src';
import { analyzeAssembly } from '../src/private/report/analyze';
import { renderHtml, renderMarkdown } from '../src/private/report/render';

const OWNER = { account: '123456789010', region: 'eu-west-3' };
const CONSUMER = { account: '111122223333', region: 'eu-west-3' };

/** Every kind of node and edge the diagram draws: delegations to accounts and an organization, tags, VPC origin, an unknown bucket. */
function everyShapeAssembly(): string {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'report-shapes-')) });
  const owner = new Stack(app, 'Owner', { env: OWNER });
  const bucket = new DelegatedBucket(owner, 'Data', { bucketName: 'test-bucket-1' });
  bucket.delegateTo(CONSUMER.account, { actions: S3Actions.READ, prefixes: ['ResearchData'] });
  bucket.delegateTo(CONSUMER.account, { actions: S3Actions.READ_WRITE, prefixes: ['Curated'], objectTags: { classification: 'public:v1 @team=a+b' } });
  bucket.delegateTo('444455556666', { actions: S3Actions.READ_WRITE, prefixes: ['Uploads/Partner'], networkOrigin: NetworkOrigin.VPC });
  bucket.delegateToOrganization('o-a1b2c3d4e5', { prefixes: ['Public'] });
  const consumer = new Stack(app, 'Consumer', { env: CONSUMER });
  const janes = new CrossAccountAccessPoint(consumer, 'Janes', { bucket, accessPointName: 'janes-researchdata-access-point' });
  janes.grantRead(new iam.ArnPrincipal(`arn:aws:iam::${CONSUMER.account}:user/Jane`), { prefixes: ['ResearchData'] });
  janes.grantReadWrite(new iam.ArnPrincipal(`arn:aws:iam::${CONSUMER.account}:role/Curators`), { prefixes: ['Curated'], objectTags: { classification: 'public:v1 @team=a+b' } });
  const partner = new Stack(app, 'Partner', { env: { account: '444455556666', region: OWNER.region } });
  const vpc = ec2.Vpc.fromVpcAttributes(partner, 'Vpc', { vpcId: 'vpc-0a1b2c3d4e5f67890', availabilityZones: ['eu-west-3a'] });
  new CrossAccountAccessPoint(partner, 'Uploads', { bucket, accessPointName: 'partner-uploads', vpc })
    .grantWrite(new iam.ArnPrincipal('arn:aws:iam::444455556666:role/Uploader'), { prefixes: ['Uploads/Partner'] });
  const elsewhere = DelegatedBucket.fromDelegatedBucketAttributes(consumer, 'Elsewhere', { bucketName: 'other-bucket', account: '777788889999', region: OWNER.region });
  new CrossAccountAccessPoint(consumer, 'Other', { bucket: elsewhere, accessPointName: 'other-data' })
    .grantRead(new iam.ArnPrincipal(`arn:aws:iam::${CONSUMER.account}:user/Jane`));
  return app.synth().directory;
}

function sampleAssembly(): string {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'report-sample-')) });
  createSampleApp(app);
  return app.synth().directory;
}

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) {
    return process.env.CHROMIUM_PATH;
  }
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error('chromium is not installed (apt-get install chromium), or set CHROMIUM_PATH');
}

const failures: string[] = [];

function check(condition: boolean, what: string): void {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${what}`);
  if (!condition) {
    failures.push(what);
  }
}

/** A page on which every request but file:, data: and about: fails, and records it. */
async function offlinePage(browser: Browser, fetched: string[], errors: string[]) {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (/^(file|data|about):/.test(request.url())) {
      void request.continue();
    } else {
      fetched.push(request.url());
      void request.abort();
    }
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(message.text());
    }
  });
  return page;
}

async function checkMarkdownDiagram(browser: Browser, name: string, markdown: string, expectedLabels: string[]): Promise<void> {
  const source = /```mermaid\n([\s\S]*?)\n```/.exec(markdown)?.[1];
  check(source !== undefined, `${name}: the Markdown report has a mermaid block`);
  const fetched: string[] = [];
  const errors: string[] = [];
  const page = await offlinePage(browser, fetched, errors);
  await page.goto('about:blank');
  await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
  const result = await page.evaluate(async (diagram: string) => {
    const m = (globalThis as any).mermaid;
    m.initialize({ startOnLoad: false, securityLevel: 'strict' });
    try {
      await m.parse(diagram);
      const { svg } = await m.render('diagram', diagram);
      return { svg };
    } catch (error) {
      return { error: String((error as Error)?.message ?? error) };
    }
  }, source ?? '');
  check(result.error === undefined, `${name}: Mermaid parses and renders the diagram${result.error ? `: ${result.error}` : ''}`);
  for (const label of expectedLabels) {
    check((result.svg ?? '').includes(label), `${name}: the rendered diagram shows ${label}`);
  }
  check(errors.length === 0, `${name}: no page error${errors.length ? `: ${errors.join('; ')}` : ''}`);
  check(fetched.length === 0, `${name}: nothing fetched${fetched.length ? `: ${fetched.join(', ')}` : ''}`);
  await page.close();
}

async function checkHtmlPage(browser: Browser, name: string, html: string, expectedLabels: string[]): Promise<void> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-html-')), 'report.html');
  fs.writeFileSync(file, html);
  const fetched: string[] = [];
  const errors: string[] = [];
  const page = await offlinePage(browser, fetched, errors);
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  const drawn = await page.waitForSelector('pre.mermaid svg', { timeout: 30_000 }).then(() => true, () => false);
  check(drawn, `${name}: the HTML page draws its diagram`);
  const text = await page.evaluate(() => (globalThis as any).document.body.innerText as string);
  check(!/Syntax error/i.test(text), `${name}: the HTML page shows no Mermaid syntax error`);
  const svg = await page.evaluate(() => ((globalThis as any).document.querySelector('pre.mermaid svg')?.outerHTML ?? '') as string);
  for (const label of expectedLabels) {
    check(svg.includes(label), `${name}: the HTML diagram shows ${label}`);
  }
  check(text.includes('Effective access'), `${name}: the HTML page has its effective access section`);
  check(errors.length === 0, `${name}: no page error${errors.length ? `: ${errors.join('; ')}` : ''}`);
  check(fetched.length === 0, `${name}: nothing fetched${fetched.length ? `: ${fetched.join(', ')}` : ''}`);
  await page.close();
}

async function main(): Promise<void> {
  const browser = await puppeteer.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const [name, directory, labels] of [
      ['sample', sampleAssembly(), ['test-bucket-1', 'janes-researchdata-access-point', 'user/Jane']],
      ['every shape', everyShapeAssembly(), ['partner-uploads', 'o-a1b2c3d4e5', 'other-bucket', 'role/Curators']],
    ] as Array<[string, string, string[]]>) {
      const report = analyzeAssembly(directory);
      await checkMarkdownDiagram(browser, `${name} (Markdown)`, renderMarkdown(report), labels);
      await checkHtmlPage(browser, `${name} (HTML)`, renderHtml(report), labels);
    }
    // The check can fail: a diagram with a syntax error is reported as one.
    await checkBrokenDiagramFails(browser);
  } finally {
    await browser.close();
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} browser check(s) failed`);
    process.exit(1);
  }
  console.log('\nall browser checks passed');
}

async function checkBrokenDiagramFails(browser: Browser): Promise<void> {
  const page = await browser.newPage();
  await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
  const parsed = await page.evaluate(async () => {
    const m = (globalThis as any).mermaid;
    m.initialize({ startOnLoad: false });
    return m.parse('flowchart LR\n  a -- "unclosed --> b').then(() => true, () => false);
  });
  check(!parsed, 'a diagram with a syntax error fails to parse (the check can fail)');
  await page.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
