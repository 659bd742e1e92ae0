import { IResolveContext, Lazy, Stack, Token } from 'aws-cdk-lib';

/*
 * AWS's naming and format rules, as pure functions that return the rules a value breaks.
 * An empty array means the value is valid. Unresolved tokens are never judged: their value
 * is known only at deploy time.
 */

const ACCOUNT_ID = /^\d{12}$/;
const PARTITION = /^aws(-[a-z]+)*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function accountIdProblems(account: string): string[] {
  if (Token.isUnresolved(account)) {
    return [];
  }
  return ACCOUNT_ID.test(account) ? [] : ['must be a 12-digit AWS account ID'];
}

export function regionProblems(region: string): string[] {
  if (Token.isUnresolved(region)) {
    return [];
  }
  return REGION.test(region) ? [] : ['must be an AWS Region code such as "eu-west-3"'];
}

/**
 * Access point names: 3 to 50 characters, lowercase letters, digits and hyphens, starting and
 * ending with a letter or digit, and not ending with the suffixes S3 reserves for aliases.
 */
export function accessPointNameProblems(name: string): string[] {
  if (Token.isUnresolved(name)) {
    return [];
  }
  const problems = namingProblems(name, 50, /^[a-z0-9-]*$/, 'lowercase letters, digits and hyphens');
  if (name.endsWith('-s3alias')) {
    problems.push('must not end with "-s3alias" or "-ext-s3alias" (S3 reserves these suffixes for access point aliases)');
  }
  return problems;
}

/** The rules S3 names share: 3 to `max` characters of a set, starting and ending with a letter or digit. */
function namingProblems(name: string, max: number, characters: RegExp, allowed: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > max) {
    problems.push(`must be 3 to ${max} characters long (it has ${name.length})`);
  }
  if (!characters.test(name)) {
    problems.push(`may contain only ${allowed}`);
  }
  if (name.length > 0 && !/^[a-z0-9](.*[a-z0-9])?$/.test(name)) {
    problems.push('must start and end with a lowercase letter or digit');
  }
  return problems;
}

/** Bucket name prefixes and suffixes that S3 reserves (general purpose bucket naming rules). */
const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** General purpose bucket names: 3 to 63 characters of lowercase letters, digits, dots and hyphens. */
export function bucketNameProblems(name: string): string[] {
  if (Token.isUnresolved(name)) {
    return [];
  }
  const problems = namingProblems(name, 63, /^[a-z0-9.-]*$/, 'lowercase letters, digits, dots and hyphens');
  if (name.includes('..')) {
    problems.push('must not contain two adjacent dots');
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    problems.push('must not be formatted as an IP address');
  }
  for (const reserved of RESERVED_BUCKET_PREFIXES.filter((p) => name.startsWith(p))) {
    problems.push(`must not start with "${reserved}" (S3 reserves it)`);
  }
  for (const reserved of RESERVED_BUCKET_SUFFIXES.filter((p) => name.endsWith(p))) {
    problems.push(`must not end with "${reserved}" (S3 reserves it)`);
  }
  return problems;
}

/**
 * Key prefixes name a folder. They must not start with "/" (S3 keys have no leading slash: the
 * blog's `--key /ResearchData/` names a different key) nor contain wildcards, which S3 would
 * treat as literal characters in a key but IAM treats as patterns.
 */
export function prefixProblems(prefix: string): string[] {
  if (Token.isUnresolved(prefix)) {
    return [];
  }
  const problems: string[] = [];
  if (prefix.replace(/\/$/, '') === '') {
    problems.push('must name a folder (omit the prefix to share the whole bucket)');
  }
  if (prefix.startsWith('/')) {
    problems.push(`must not start with "/" (S3 keys have no leading slash: use ${JSON.stringify(prefix.replace(/^\/+/, ''))})`);
  }
  if (/[*?]/.test(prefix)) {
    problems.push('must not contain the wildcards "*" or "?" (a prefix already covers every key below it)');
  }
  if (prefix.includes('${')) {
    problems.push('must not contain "${": IAM would read it as a policy variable');
  }
  if (prefix.includes('//')) {
    problems.push('must not contain an empty folder name ("//")');
  }
  if (Buffer.byteLength(prefix, 'utf8') > 1000) {
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
  let normalized = normalizedTokens.get(prefix);
  if (!normalized) {
    normalized = Lazy.uncachedString({
      produce: (context: IResolveContext) => {
        const value: unknown = Stack.of(context.scope).resolve(prefix);
        return typeof value === 'string' ? normalizePrefix(value) : prefix;
      },
    });
    normalizedTokens.set(prefix, normalized);
  }
  return normalized;
}

/** One normalised token per input token, so that equal boundaries still share a statement. */
const normalizedTokens = new Map<string, string>();

/**
 * AWS principals in resource policies: `*`, a 12-digit account, or an IAM/STS ARN whose region
 * field is empty (`arn:aws:iam::111122223333:user/Jane`). The blog's `arn:aws:iam:111122223333:user/Jane`
 * lacks that empty field; the message shows the corrected form.
 */
export function principalProblems(principal: string): string[] {
  if (Token.isUnresolved(principal) || principal === '*' || ACCOUNT_ID.test(principal)) {
    return [];
  }
  const parts = principal.split(':');
  if (parts[0] !== 'arn' || parts.length < 5) {
    return ['must be "*", a 12-digit account ID or an IAM ARN such as "arn:aws:iam::111122223333:user/Jane"'];
  }
  const [, partition, service] = parts;
  if (parts.length === 5 && ACCOUNT_ID.test(parts[3])) {
    const corrected = ['arn', partition, service, '', parts[3], parts[4]].join(':');
    return [`must have an empty Region field, as IAM ARNs do: use ${JSON.stringify(corrected)}`];
  }
  const problems: string[] = [];
  if (!PARTITION.test(partition)) {
    problems.push('must name a partition such as "aws"');
  }
  if (service !== 'iam' && service !== 'sts') {
    problems.push('must be an IAM or STS ARN');
  }
  if (parts.length !== 6) {
    problems.push('must have six colon-separated fields: arn:PARTITION:iam::ACCOUNT:RESOURCE');
    return problems;
  }
  const [, , , region, account, resource] = parts;
  if (region !== '') {
    problems.push(`must have an empty Region field, as IAM ARNs do: use ${JSON.stringify(['arn', partition, service, '', account, resource].join(':'))}`);
  }
  if (!ACCOUNT_ID.test(account)) {
    problems.push('must name a 12-digit account ID');
  }
  if (!/^(root|(user|role|assumed-role|federated-user)\/.+)$/.test(resource)) {
    problems.push('must name a resource: root, user/NAME, role/NAME, assumed-role/ROLE/SESSION or federated-user/NAME');
  }
  return problems;
}

/**
 * Customer-managed KMS key ARNs: `arn:PARTITION:kms:REGION:ACCOUNT:key/ID`, in the bucket's Region.
 * The AWS-managed `aws/s3` key cannot serve cross-account reads; an alias cannot be named in the
 * identity policies that let consumers use the key.
 */
export function keyArnProblems(keyArn: string, region: string): string[] {
  if (Token.isUnresolved(keyArn)) {
    return [];
  }
  if (keyArn.endsWith(':alias/aws/s3')) {
    return ['must be a customer-managed key: the AWS-managed aws/s3 key cannot serve cross-account reads'];
  }
  if (!/^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(keyArn)) {
    return ['must be a KMS key ARN such as "arn:aws:kms:eu-west-3:123456789010:key/1234abcd-12ab-34cd-56ef-1234567890ab"'];
  }
  if (!Token.isUnresolved(region) && keyArn.split(':')[3] !== region) {
    return [`must be a key in the bucket's Region ${JSON.stringify(region)}: S3 uses keys of its own Region only`];
  }
  return [];
}
