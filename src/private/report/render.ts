import * as fs from 'fs';
import * as path from 'path';
import { AccessReport, EffectiveAccess, ReportAccessPoint, ReportBucket, scopeText } from './analyze';

/*
 * The access report in three forms: Markdown with a Mermaid diagram (for pull requests and wikis),
 * JSON (for tools), and one self-contained HTML page with the diagram drawn (for people).
 */

/** The columns of the report's tables, the same in Markdown and HTML. */
const DELEGATION_COLUMNS = ['trusted', 'actions', 'scope', 'object tags', 'restrictions'];
const ACCESS_POINT_COLUMNS = ['access point', 'account', 'bucket', 'network origin', 'Block Public Access', 'grants'];
const EFFECTIVE_COLUMNS = ['principal', 'access point', 'bucket', 'scope', 'actions', 'only if'];

/** The report as Markdown, with the diagram as a `mermaid` code block. */
export function renderMarkdown(report: AccessReport): string {
  const lines = [
    '# Access report',
    '',
    `From the cloud assembly \`${report.source}\`: ${count(report.buckets.length, 'delegating bucket')}, ` +
      `${count(report.accessPoints.length, 'access point')}, ${count(report.findings.length, 'finding')}.`,
    'A request through an access point is allowed only when both the access point policy and the bucket policy allow it; ' +
      'the effective access is computed from both.',
    '',
    '## Diagram',
    '',
    '```mermaid',
    renderMermaid(report),
    '```',
  ];
  for (const bucket of report.buckets) {
    lines.push('', `## Bucket ${bucket.name} (account ${bucket.account}, ${bucket.region})`, '', `Stack ${bucket.stack}; ${bucket.encryption}.`, '');
    lines.push(...table(DELEGATION_COLUMNS, delegationRows(bucket)));
  }
  lines.push('', '## Access points', '');
  lines.push(...(report.accessPoints.length === 0 ? ['None.'] : table(
    ACCESS_POINT_COLUMNS,
    report.accessPoints.map(accessPointRow),
  )));
  lines.push('', '## Effective access', '');
  lines.push(...(report.effectiveAccess.length === 0 ? ['None.'] : table(
    EFFECTIVE_COLUMNS,
    report.effectiveAccess.map(effectiveRow),
  )));
  lines.push('', '## Findings', '');
  lines.push(...(report.findings.length === 0 ? ['None.'] : report.findings.map((f) => `- **${f.severity}** \`${f.kind}\`: ${f.message}`)));
  const readers = report.effectiveAccess.filter((e) => e.actions.includes('s3:GetObject'));
  if (readers.length > 0) {
    lines.push('', '## Try it', '', 'A principal with read access reads through the access point ARN (keys have no leading `/`):', '', '```sh');
    lines.push(...[...new Set(readers.map((e) => `aws s3api get-object --bucket ${e.accessPoint} --key ${e.prefix}example.csv example.csv`))]);
    lines.push('```');
  }
  return `${lines.join('\n')}\n`;
}

/** The report as JSON. */
export function renderJson(report: AccessReport): string {
  return `${JSON.stringify(report, undefined, 2)}\n`;
}

/**
 * The report as one HTML page that needs nothing else: styles and the Mermaid library are inlined,
 * and the page draws the diagram when it opens.
 */
export function renderHtml(report: AccessReport): string {
  const section = (title: string, body: string) => `<h2>${escapeHtml(title)}</h2>\n${body}`;
  const htmlTable = (headers: string[], rows: string[][]) => rows.length === 0 ? '<p>None.</p>' :
    `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n` +
    rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n') + '\n</tbody></table>';
  const body = [
    '<h1>Access report</h1>',
    `<p>From the cloud assembly <code>${escapeHtml(report.source)}</code>: ${count(report.buckets.length, 'delegating bucket')}, ` +
      `${count(report.accessPoints.length, 'access point')}, ${count(report.findings.length, 'finding')}. A request through an access point ` +
      'is allowed only when both the access point policy and the bucket policy allow it; the effective access is computed from both.</p>',
    section('Diagram', `<pre class="mermaid">\n${escapeHtml(renderMermaid(report))}\n</pre>`),
    ...report.buckets.map((b) => section(`Bucket ${b.name} (account ${b.account}, ${b.region})`,
      `<p>Stack ${escapeHtml(b.stack)}; ${escapeHtml(b.encryption)}.</p>\n` + htmlTable(DELEGATION_COLUMNS, delegationRows(b)))),
    section('Access points', htmlTable(ACCESS_POINT_COLUMNS, report.accessPoints.map(accessPointRow))),
    section('Effective access', htmlTable(EFFECTIVE_COLUMNS,
      report.effectiveAccess.map(effectiveRow))),
    section('Findings', report.findings.length === 0 ? '<p>None.</p>' :
      `<ul>\n${report.findings.map((f) => `<li class="${f.severity}"><strong>${f.severity}</strong> <code>${f.kind}</code>: ${escapeHtml(f.message)}</li>`).join('\n')}\n</ul>`),
  ].join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<title>Access report</title>',
    '<style>',
    'body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }',
    'table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }',
    'th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }',
    'th { background: #f2f2f2; }',
    'li.high { color: #a40000; } li.medium { color: #8a5300; }',
    '</style>',
    '</head>',
    '<body>',
    body,
    `<script>${mermaidLibrary().replace(/<\/script/gi, '<\\/script')}</script>`,
    '<script>mermaid.initialize({ startOnLoad: true, securityLevel: "strict" });</script>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The diagram: the owner's buckets, the delegations, the consumers' access points and the principals that reach through them. */
export function renderMermaid(report: AccessReport): string {
  const lines = ['flowchart LR'];
  const bucketIds = new Map<string, string>();
  report.buckets.forEach((b, i) => {
    bucketIds.set(`${b.name}@${b.account}`, `bucket${i}`);
    lines.push(`  subgraph owner${i}["${label(`owner ${b.account} · ${b.region}`)}"]`, `    bucket${i}[("${label(b.name)}")]`, '  end');
  });
  const accounts = [...new Set(report.accessPoints.map((a) => a.account))];
  const apIds = new Map<string, string>();
  accounts.forEach((account, i) => {
    lines.push(`  subgraph account${i}["${label(`account ${account}`)}"]`);
    report.accessPoints.forEach((ap, j) => {
      if (ap.account === account) {
        apIds.set(ap.arn, `ap${j}`);
        lines.push(`    ap${j}{{"${label(ap.name)}"}}`);
      }
    });
    lines.push('  end');
  });
  report.accessPoints.forEach((ap, j) => {
    const bucket = bucketIds.get(`${ap.bucketName}@${ap.bucketAccount}`);
    if (bucket) {
      lines.push(`  ap${j} --> ${bucket}`);
    } else {
      lines.push(`  external${j}[("${label(`${ap.bucketName} (not in this assembly)`)}")]`, `  ap${j} -.-> external${j}`);
    }
  });
  report.buckets.forEach((b, i) => b.delegations.forEach((d, k) => {
    const accountIndex = accounts.indexOf(d.trustee);
    const from = accountIndex >= 0 ? `account${accountIndex}` : `trustee${i}x${k}`;
    if (accountIndex < 0) {
      lines.push(`  ${from}["${label(`${d.kind} ${d.trustee}`)}"]`);
    }
    lines.push(`  ${from} -. "${label(`delegated: ${short(d.actions)} ${scopeText(d.prefixes)}`)}" .-> bucket${i}`);
  }));
  const principals = [...new Set(report.effectiveAccess.map((e) => e.principal))];
  principals.forEach((p, i) => lines.push(`  principal${i}(["${label(shortPrincipal(p))}"])`));
  for (const e of report.effectiveAccess) {
    lines.push(`  principal${principals.indexOf(e.principal)} -- "${label(`${short(e.actions)} ${scopeText([e.prefix])}`)}" --> ${apIds.get(e.accessPoint)}`);
  }
  return lines.join('\n');
}

/** The Mermaid library as one script: next to the compiled command, or from the development dependencies. */
function mermaidLibrary(): string {
  const candidates = [path.join(__dirname, '..', '..', 'vendor', 'mermaid.min.js')];
  try {
    candidates.push(require.resolve('mermaid/dist/mermaid.min.js'));
  } catch {
    // Not installed: only the copy shipped with the package can serve.
  }
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) {
    throw new Error('the HTML report needs mermaid.min.js, shipped in the package under lib/vendor: reinstall the package');
  }
  return fs.readFileSync(found, 'utf8');
}

function delegationRows(bucket: ReportBucket): string[][] {
  return bucket.delegations.map((d) => [
    `${d.kind} ${d.trustee}`,
    short(d.actions),
    scopeText(d.prefixes),
    Object.entries(d.objectTags).map(([k, v]) => `${k}=${v}`).join(', ') || '-',
    d.conditions.join('; ') || '-',
  ]);
}

function accessPointRow(ap: ReportAccessPoint): string[] {
  const grants = ap.grants.map((g) => `${g.principals.map(shortPrincipal).join(', ')}: ${short(g.actions)} ${scopeText(g.prefixes)}`).join('; ');
  return [ap.name, ap.account, `${ap.bucketName} (${ap.bucketAccount})`, ap.networkOrigin, ap.blockPublicAccess, grants || '-'];
}

function effectiveRow(e: EffectiveAccess): string[] {
  return [shortPrincipal(e.principal), nameOf(e.accessPoint), e.bucket, scopeText([e.prefix]), short(e.actions), onlyIf(e)];
}

function onlyIf(e: EffectiveAccess): string {
  return [
    e.objectTags ? `objects tagged ${Object.entries(e.objectTags).map(([k, v]) => `${k}=${v}`).join(', ')}` : undefined,
    e.organization ? `the principal's account is in organization ${e.organization}` : undefined,
  ].filter((x) => x !== undefined).join('; ') || '-';
}

function table(headers: string[], rows: string[][]): string[] {
  const cell = (c: string) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function short(actions: string[]): string {
  return actions.map((a) => a.replace(/^s3:/, '')).join(', ');
}

function shortPrincipal(arn: string): string {
  const match = /^arn:[^:]+:(?:iam|sts)::(\d{12}):(.+)$/.exec(arn);
  return match ? `${match[2]} (${match[1]})` : arn;
}

function nameOf(accessPointArn: string): string {
  return accessPointArn.split(':accesspoint/')[1] ?? accessPointArn;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Text safe inside a quoted Mermaid label. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/[<>]/g, '');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

