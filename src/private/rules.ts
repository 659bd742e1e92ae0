import { IResolveContext, Lazy, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { UNKNOWN, hasUnknown, knownPart, literalView, literalViewIn, shown } from './tokens';

/*
 * AWS's naming and format rules, as pure functions that return the rules a value breaks.
 * An empty array means the value is valid. Parts that are tokens are known only at deploy time and
 * never judged; the literal parts around them are (see `literalView`). Callers that hold a scope
 * pass `literalViewIn(scope, value)` to also judge the literal parts inside resolvable tokens.
 */

const ACCOUNT_ID = /^\d{12}$/;
const PARTITION = /^aws(-[a-z]+)*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const WHITESPACE = /\s/;

export function accountIdProblems(account: string): string[] {
  const view = literalView(account);
  if (WHITESPACE.test(view)) {
    return ['must be a 12-digit AWS account ID, without whitespace'];
  }
  const valid = hasUnknown(view) ? /^\d*$/.test(knownPart(view)) && knownPart(view).length <= 12 : ACCOUNT_ID.test(view);
  return valid ? [] : ['must be a 12-digit AWS account ID'];
}

export function regionProblems(region: string): string[] {
  const view = literalView(region);
  const valid = hasUnknown(view) ? !WHITESPACE.test(view) : REGION.test(view);
  return valid ? [] : ['must be an AWS Region code such as "eu-west-3"'];
}

/**
 * Access point names: 3 to 50 characters, lowercase letters, digits and hyphens, starting and
 * ending with a letter or digit, and not ending with the suffixes S3 reserves for aliases.
 */
export function accessPointNameProblems(name: string): string[] {
  const view = literalView(name);
  const problems = namingProblems(view, 50, /^[a-z0-9-]$/, 'lowercase letters, digits and hyphens');
  if (view.endsWith('-s3alias')) {
    problems.push('must not end with "-s3alias" or "-ext-s3alias" (S3 reserves these suffixes for access point aliases)');
  }
  return problems;
}

/** The rules S3 names share: 3 to `max` characters of a set, starting and ending with a letter or digit. */
function namingProblems(view: string, max: number, character: RegExp, allowed: string): string[] {
  const problems: string[] = [];
  const known = knownPart(view);
  if (!hasUnknown(view) && (known.length < 3 || known.length > max)) {
    problems.push(`must be 3 to ${max} characters long (it has ${known.length})`);
  } else if (known.length > max) {
    problems.push(`must be 3 to ${max} characters long (its known part has ${known.length})`);
  }
  if (![...known].every((c) => character.test(c))) {
    problems.push(`may contain only ${allowed}`);
  }
  const ends = [view[0], view[view.length - 1]].filter((c) => c !== undefined && c !== UNKNOWN);
  if (ends.some((c) => !/^[a-z0-9]$/.test(c))) {
    problems.push('must start and end with a lowercase letter or digit');
  }
  return problems;
}

/** Bucket name prefixes and suffixes that S3 reserves (general purpose bucket naming rules). */
const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** General purpose bucket names: 3 to 63 characters of lowercase letters, digits, dots and hyphens. */
export function bucketNameProblems(name: string): string[] {
  const view = literalView(name);
  const problems = namingProblems(view, 63, /^[a-z0-9.-]$/, 'lowercase letters, digits, dots and hyphens');
  if (view.includes('..')) {
    problems.push('must not contain two adjacent dots');
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(view)) {
    problems.push('must not be formatted as an IP address');
  }
  for (const reserved of RESERVED_BUCKET_PREFIXES.filter((p) => view.startsWith(p))) {
    problems.push(`must not start with "${reserved}" (S3 reserves it)`);
  }
  for (const reserved of RESERVED_BUCKET_SUFFIXES.filter((p) => view.endsWith(p))) {
    problems.push(`must not end with "${reserved}" (S3 reserves it)`);
  }
  return problems;
}

/**
 * Key prefixes name a folder. They must not start with "/" (S3 keys have no leading slash: the
 * blog's `--key /ResearchData/` names a different key), contain wildcards (S3 treats them as literal
 * characters of a key, IAM as patterns), or have "." or ".." segments (S3 keys are literal:
 * `Sales/../Finance` is a key under `Sales/`, while clients that normalise paths send `Finance`).
 */
export function prefixProblems(prefix: string): string[] {
  const view = literalView(prefix);
  const problems: string[] = [];
  if (!hasUnknown(view) && view.replace(/\/$/, '') === '') {
    problems.push('must name a folder (omit the prefix to share the whole bucket)');
  }
  if (view.startsWith('/')) {
    problems.push(`must not start with "/" (S3 keys have no leading slash: use ${JSON.stringify(view.replace(/^\/+/, ''))})`);
  }
  if (/[*?]/.test(view)) {
    problems.push('must not contain the wildcards "*" or "?" (a prefix already covers every key below it)');
  }
  if (view.includes('${')) {
    problems.push('must not contain "${": IAM would read it as a policy variable');
  }
  if (view.includes('//')) {
    problems.push('must not contain an empty folder name ("//")');
  }
  if (view.split('/').some((segment) => segment === '.' || segment === '..')) {
    problems.push('must not contain "." or ".." folder names: S3 keys are literal, so "Sales/../Finance" is a key under "Sales/", while clients that normalise paths would send "Finance"');
  }
  if (Buffer.byteLength(knownPart(view), 'utf8') > 1000) {
    problems.push('must be at most 1,000 bytes (S3 keys are at most 1,024 bytes)');
  }
  return problems;
}

/**
 * `ResearchData` and `ResearchData/` both mean keys under `ResearchData/`, never `ResearchData-private/`.
 *
 * A token is normalised when it resolves to a string at synth (a `Lazy`, say). One that only
 * CloudFormation knows (a parameter, an import) is used as it is: its value must end with "/".
 */
export function normalizePrefix(prefix: string): string {
  if (!Token.isUnresolved(prefix)) {
    return prefix.endsWith('/') ? prefix : `${prefix}/`;
  }
  return Lazy.uncachedString({
    produce: (context: IResolveContext) => {
      const value: unknown = Stack.of(context.scope).resolve(prefix);
      return typeof value === 'string' ? normalizePrefix(value) : prefix;
    },
  });
}

/**
 * A prefix as the checks compare it: normalised when it is known at synth (a literal, or a token
 * that resolves to one here); a token with a deploy-time part stays as it is.
 */
export function knownPrefix(scope: IConstruct, prefix: string): string {
  const view = literalViewIn(scope, prefix);
  return hasUnknown(view) ? prefix : normalizePrefix(view);
}

const IAM_RESOURCE = /^(root|(user|role|assumed-role|federated-user)\/.+)$/;

/**
 * AWS principals in resource policies: `*`, a 12-digit account, or an IAM/STS ARN whose region
 * field is empty (`arn:aws:iam::111122223333:user/Jane`). The blog's `arn:aws:iam:111122223333:user/Jane`
 * lacks that empty field; the message shows the corrected form.
 */
export function principalProblems(principal: string): string[] {
  const view = literalView(principal);
  if (view === '*' || ACCOUNT_ID.test(view) || (hasUnknown(view) && ['', '*'].includes(knownPart(view)))) {
    return [];
  }
  if (WHITESPACE.test(view)) {
    return ['must not contain whitespace'];
  }
  if (/[*?]/.test(view)) {
    return ['must not contain wildcards: a principal is "*" or names one principal (IAM rejects wildcards in principal ARNs)'];
  }
  if (!view.includes(':')) {
    return hasUnknown(view) ? accountIdProblems(view) : ['must be "*", a 12-digit account ID or an IAM ARN such as "arn:aws:iam::111122223333:user/Jane"'];
  }
  const parts = view.split(':');
  const known = (field: string | undefined): field is string => field !== undefined && !hasUnknown(field);
  if ((known(parts[0]) && parts[0] !== 'arn') || (!hasUnknown(view) && parts.length < 5)) {
    return ['must be "*", a 12-digit account ID or an IAM ARN such as "arn:aws:iam::111122223333:user/Jane"'];
  }
  const [, partition, service] = parts;
  if (parts.length === 5 && ACCOUNT_ID.test(parts[3])) {
    const corrected = ['arn', partition, service, '', parts[3], parts[4]].join(':');
    return [`must have an empty Region field, as IAM ARNs do: use ${JSON.stringify(shown(corrected))}`];
  }
  const problems: string[] = [];
  if (known(partition) && !PARTITION.test(partition)) {
    problems.push('must name a partition such as "aws"');
  }
  if (known(service) && service !== 'iam' && service !== 'sts') {
    problems.push('must be an IAM or STS ARN');
  }
  if (parts.length !== 6) {
    if (!hasUnknown(view)) {
      problems.push('must have six colon-separated fields: arn:PARTITION:iam::ACCOUNT:RESOURCE');
    }
    return problems;
  }
  const [, , , region, account, resource] = parts;
  if (known(region) && region !== '') {
    problems.push(`must have an empty Region field, as IAM ARNs do: use ${JSON.stringify(shown(['arn', partition, service, '', account, resource].join(':')))}`);
  }
  if (accountIdProblems(account).length > 0 || (known(account) && !ACCOUNT_ID.test(account))) {
    problems.push('must name a 12-digit account ID');
  }
  const resourceType = resource.split(UNKNOWN)[0];
  if (known(resource) ? !IAM_RESOURCE.test(resource) : resourceType.includes('/') && !IAM_RESOURCE.test(`${resourceType}x`)) {
    problems.push('must name a resource: root, user/NAME, role/NAME, assumed-role/ROLE/SESSION or federated-user/NAME (IAM groups cannot be principals of a resource policy)');
  }
  return problems;
}

/**
 * Customer-managed KMS key ARNs: `arn:PARTITION:kms:REGION:ACCOUNT:key/ID`, in the bucket's Region.
 * The AWS-managed `aws/s3` key cannot serve cross-account reads; an alias cannot be named in the
 * identity policies that let consumers use the key.
 */
export function keyArnProblems(keyArn: string, region: string): string[] {
  const view = literalView(keyArn);
  if (WHITESPACE.test(view)) {
    return ['must be a KMS key ARN, without whitespace'];
  }
  if (view.endsWith(':alias/aws/s3')) {
    return ['must be a customer-managed key: the AWS-managed aws/s3 key cannot serve cross-account reads'];
  }
  const example = 'must be a KMS key ARN such as "arn:aws:kms:eu-west-3:123456789010:key/1234abcd-12ab-34cd-56ef-1234567890ab"';
  if (hasUnknown(view)) {
    const [arn, , service, , account, resource] = view.split(':');
    const wrong = (field: string | undefined, valid: (f: string) => boolean) => field !== undefined && !hasUnknown(field) && !valid(field);
    const broken = wrong(arn, (f) => f === 'arn') || wrong(service, (f) => f === 'kms') || wrong(account, (f) => ACCOUNT_ID.test(f))
      || (resource !== undefined && !resource.startsWith(UNKNOWN) && !resource.startsWith('key/'));
    return broken ? [example] : [];
  }
  if (!/^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(view)) {
    return [example];
  }
  if (!Token.isUnresolved(region) && view.split(':')[3] !== region) {
    return [`must be a key in the bucket's Region ${JSON.stringify(region)}: S3 uses keys of its own Region only`];
  }
  return [];
}

/** S3 object tags: at most 10 on an object; keys of 1 to 128 characters, values of up to 256. */
export const MAX_OBJECT_TAGS = 10;
const TAG_CHARACTER = /^[\p{L}\p{N} +\-=._:/@]$/u;

/**
 * Object tag keys: 1 to 128 Unicode letters, digits, spaces and `+ - = . _ : / @`, not starting
 * with the `aws:` prefix AWS reserves.
 */
export function tagKeyProblems(key: string): string[] {
  if (Token.isUnresolved(key)) {
    return ['must be known at synth: a tag key is part of a condition key name (s3:ExistingObjectTag/KEY)'];
  }
  const view = literalView(key);
  const problems = tagTextProblems(view, 1, 128);
  if (/^aws:/i.test(view)) {
    problems.push('must not start with "aws:" (AWS reserves it)');
  }
  return problems;
}

/** Object tag values: up to 256 Unicode letters, digits, spaces and `+ - = . _ : / @`. */
export function tagValueProblems(value: string): string[] {
  return tagTextProblems(literalView(value), 0, 256);
}

function tagTextProblems(view: string, min: number, max: number): string[] {
  const known = [...knownPart(view)];
  const problems: string[] = [];
  if ((!hasUnknown(view) && known.length < min) || known.length > max) {
    problems.push(`must be ${min} to ${max} characters long (it has ${known.length})`);
  }
  if (!known.every((c) => TAG_CHARACTER.test(c))) {
    problems.push('may contain only letters, digits, spaces and + - = . _ : / @');
  }
  return problems;
}

/** AWS Organizations IDs: `o-` and 10 to 32 lowercase letters or digits. */
export function organizationIdProblems(id: string): string[] {
  const view = literalView(id);
  if (hasUnknown(view)) {
    const known = knownPart(view);
    const fits = !WHITESPACE.test(view) && /^[a-z0-9-]*$/.test(known) && known.length <= 34 && (view.startsWith(UNKNOWN) || /^o(-|\u0000)/.test(view));
    return fits ? [] : ['must be an AWS Organizations ID such as "o-a1b2c3d4e5"'];
  }
  return /^o-[a-z0-9]{10,32}$/.test(view) ? [] : ['must be an AWS Organizations ID such as "o-a1b2c3d4e5"'];
}

/**
 * Organizational unit paths as `aws:PrincipalOrgPaths` holds them: the organization ID, the root
 * and each OU down to the one meant, separated and ended by "/", in the given organization.
 */
export function organizationalUnitPathProblems(path: string, organizationId: string): string[] {
  const view = literalView(path);
  if (hasUnknown(view)) {
    return [];
  }
  const example = 'must be an organizational unit path such as "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"';
  if (!/^o-[a-z0-9]{10,32}\/r-[a-z0-9]{4,32}(\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})+\/$/.test(view)) {
    return [example];
  }
  if (!Token.isUnresolved(organizationId) && !view.startsWith(`${organizationId}/`)) {
    return [`must be in organization ${JSON.stringify(organizationId)}`];
  }
  return [];
}
