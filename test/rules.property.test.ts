/**
 * Property-based tests of the validators: for strings drawn at random, a validator accepts
 * exactly the strings that AWS's rule accepts. The rules are restated here independently, from
 * AWS's documentation, as plain character-by-character checks (no regular expressions, unlike the
 * validators), so that a mistake in a validator's pattern is not repeated in its oracle.
 */
import { Lazy, Token } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import {
  accessPointNameProblems, accountIdProblems, bucketNameProblems, organizationIdProblems, prefixProblems, principalProblems, regionProblems,
  tagKeyProblems, tagValueProblems,
} from '../src/private/rules';

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const isDigit = (c: string) => c.length === 1 && DIGITS.includes(c);
const isLower = (c: string) => c.length === 1 && LOWER.includes(c);
const allOf = (s: string, ok: (c: string) => boolean) => [...s].every(ok);
const isDigits = (s: string, n: number) => s.length === n && allOf(s, isDigit);
/** Lowercase letter or digit at both ends. */
const alnumEnds = (s: string) => s.length > 0 && [s[0], s[s.length - 1]].every((c) => isLower(c) || isDigit(c));
/** Four dot-separated groups of digits. */
const looksLikeIp = (s: string) => { const groups = s.split('.'); return groups.length === 4 && groups.every((g) => g.length > 0 && allOf(g, isDigit)); };
const hasWhitespace = (s: string) => [...s].some((c) => c.trim() === '');
const byteLength = (s: string) => new TextEncoder().encode(s).length;

/** AWS's rules, restated as plain predicates: the oracle the validators are compared with. */
const AWS_RULES = {
  accessPointName: (s: string) => s.length >= 3 && s.length <= 50 && allOf(s, (c) => isLower(c) || isDigit(c) || c === '-') && alnumEnds(s)
    && !s.endsWith('-s3alias'),
  accountId: (s: string) => isDigits(s, 12),
  region: (s: string) => {
    const parts = s.split('-');
    return parts.length >= 3 && parts[0].length === 2 && allOf(parts[0], isLower)
      && parts.slice(1, -1).every((p) => p.length > 0 && allOf(p, isLower))
      && parts[parts.length - 1].length > 0 && allOf(parts[parts.length - 1], isDigit);
  },
  bucketName: (s: string) => s.length >= 3 && s.length <= 63 && allOf(s, (c) => isLower(c) || isDigit(c) || c === '.' || c === '-') && alnumEnds(s)
    && !s.includes('..') && !looksLikeIp(s)
    && !['xn--', 'sthree-', 'amzn-s3-demo-'].some((p) => s.startsWith(p))
    && !['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].some((x) => s.endsWith(x)),
  prefix: (s: string) => {
    const folders = (s.endsWith('/') ? s.slice(0, -1) : s).split('/');
    return s !== '' && s !== '/' && !s.startsWith('/') && !s.includes('*') && !s.includes('?') && !s.includes('${')
      && folders.every((f) => f !== '' && f !== '.' && f !== '..') && byteLength(s) <= 1000;
  },
  principal: (s: string) => {
    if (s === '*' || isDigits(s, 12)) {
      return true;
    }
    const [arn, partition, service, region, account, ...rest] = s.split(':');
    const resource = rest.join(':');
    const partitionOk = partition !== undefined && partition.startsWith('aws') && partition.slice(3).split('-').slice(1).every((w) => w.length > 0 && allOf(w, isLower))
      && (partition === 'aws' || partition.startsWith('aws-'));
    const slash = resource.indexOf('/');
    const kind = slash < 0 ? resource : resource.slice(0, slash);
    const resourceOk = resource === 'root' || (['user', 'role', 'assumed-role', 'federated-user'].includes(kind) && slash >= 0 && resource.length > slash + 1);
    return arn === 'arn' && partitionOk && (service === 'iam' || service === 'sts') && region === '' && account !== undefined && isDigits(account, 12)
      && rest.length === 1 && resourceOk && !hasWhitespace(s) && !s.includes('*') && !s.includes('?');
  },
  tagKey: (s: string) => [...s].length >= 1 && [...s].length <= 128 && allOf(s, tagCharacter) && !s.toLowerCase().startsWith('aws:'),
  tagValue: (s: string) => [...s].length <= 256 && allOf(s, tagCharacter),
};

/** S3 object tags: Unicode letters and digits, spaces, and + - = . _ : / @. */
function tagCharacter(c: string): boolean {
  return c === ' ' || '+-=._:/@'.includes(c) || c.toLowerCase() !== c.toUpperCase() || (c.length === 1 && DIGITS.includes(c))
    || /\p{L}|\p{N}/u.test(c);
}

/** Strings near the edges of each rule: built from the characters and pieces the rules care about. */
const pieces = (alphabet: string[], maxLength: number) => fc.array(fc.constantFrom(...alphabet), { maxLength }).map((parts) => parts.join(''));
/** Strings of every length around a limit, so that off-by-one errors show. */
const lengths = (min: number, max: number, fill: string) => fc.integer({ min, max }).map((n) => fill.repeat(n).slice(0, n));
const ARBITRARIES = {
  accessPointName: fc.oneof(
    fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/),
    lengths(0, 60, 'a1b2'),
    pieces(['a', 'z', '0', '9', '-', 'A', '_', '.', ' ', '-s3alias', '-ext-s3alias'], 60),
    fc.string(),
  ),
  accountId: fc.oneof(fc.stringMatching(/^[0-9]{12}$/), lengths(0, 16, '1234567890'), pieces(['0', '1', '9', 'a', ' ', '*', '-'], 14), fc.string()),
  region: fc.oneof(fc.stringMatching(/^[a-z]{2}(-[a-z]{2,9}){1,2}-[0-9]$/), pieces(['eu', 'us', '-', 'west', '3', 'A', '_', ' '], 8), fc.string()),
  bucketName: fc.oneof(
    fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
    lengths(0, 70, 'b4.c-d'),
    pieces(['a', '0', '.', '-', 'A', '_', 'xn--', 'sthree-', '-s3alias', '--x-s3', '.mrap', '192', '1'], 30),
    fc.string(),
  ),
  prefix: fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9!_.'()-]{1,20}(\/[A-Za-z0-9!_.'()-]{1,20}){0,3}\/?$/),
    lengths(990, 1010, 'Data-x'),
    pieces(['Research', 'Data', '/', '*', '?', '${', 'aws:username', '}', '-', ' ', '.', '..'], 8),
    fc.string(),
  ),
  principal: fc.oneof(
    fc.tuple(fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'), fc.constantFrom('iam', 'sts'), fc.stringMatching(/^[0-9]{12}$/),
      fc.constantFrom('root', 'user/Jane', 'role/Admin', 'assumed-role/Admin/session', 'federated-user/bob', 'group/Admins', ''))
      .map(([p, svc, acct, res]) => `arn:${p}:${svc}::${acct}:${res}`),
    pieces(['arn', ':', 'aws', 'iam', '111122223333', 'user/Jane', 's3', 'eu-west-3', '*', ' ', '\n'], 9),
    fc.string(),
  ),
  tagKey: fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9 +=._:/@-]{1,128}$/),
    lengths(0, 140, 'Team-'),
    pieces(['team', 'aws:', 'AWS:', ':', '/', '*', '$', 'é', '数', ' ', '\t'], 8),
    fc.string(),
  ),
  tagValue: fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9 +=._:/@-]{0,256}$/),
    lengths(240, 270, 'public'),
    pieces(['public', 'x', '*', '?', '#', 'é', ' ', '\n'], 8),
    fc.string(),
  ),
};

const VALIDATORS = {
  accessPointName: accessPointNameProblems,
  accountId: accountIdProblems,
  region: regionProblems,
  bucketName: bucketNameProblems,
  prefix: prefixProblems,
  principal: principalProblems,
  tagKey: tagKeyProblems,
  tagValue: tagValueProblems,
};

describe.each(Object.keys(VALIDATORS) as Array<keyof typeof VALIDATORS>)('%s', (rule) => {
  const validate = VALIDATORS[rule];

  test('accepts exactly what AWS accepts', () => {
    fc.assert(fc.property(ARBITRARIES[rule], (value) => {
      expect({ value, accepted: validate(value).length === 0 }).toEqual({ value, accepted: AWS_RULES[rule](value) });
    }), { numRuns: 2000 });
  });

  test('draws both valid and invalid values (so the property above is not vacuous)', () => {
    const sample = fc.sample(ARBITRARIES[rule], { numRuns: 2000, seed: 42 });
    const valid = sample.filter((value) => AWS_RULES[rule](value)).length;
    expect(valid).toBeGreaterThan(100);
    expect(sample.length - valid).toBeGreaterThan(100);
  });

  // A tag key is part of a condition key's name (s3:ExistingObjectTag/KEY): it must be known at synth.
  const knownAtSynth = rule === 'tagKey';

  test(knownAtSynth ? 'rejects a value with a token: it must be known at synth' : 'never rejects a value that is one unresolved token', () => {
    const token = Lazy.string({ produce: () => 'anything' });
    expect(Token.isUnresolved(token)).toBe(true);
    expect(validate(token).length > 0).toBe(knownAtSynth);
  });

  if (!knownAtSynth) {
    test('accepts a valid value with a token put anywhere inside it (the token may stand for any part)', () => {
      const valid = ARBITRARIES[rule].filter((value) => AWS_RULES[rule](value));
      fc.assert(fc.property(valid, fc.nat(), (value, at) => {
        const i = at % (value.length + 1);
        const withToken = `${value.slice(0, i)}${Lazy.string({ produce: () => 'x' })}${value.slice(i)}`;
        expect({ withToken, problems: validate(withToken) }).toEqual({ withToken, problems: [] });
      }), { numRuns: 300 });
    });
  }
});

/**
 * Examples and counter-examples from AWS's documentation (bucket naming rules, access point naming
 * rules, IAM identifiers), so the validators are also held to AWS's words, not only to the oracle.
 */
describe('AWS documentation examples', () => {
  test.each([
    ['bucketName', bucketNameProblems, ['docexamplebucket1', 'log-delivery-march-2020', 'my-hosted-content', 'docexamplewebsite.com', 'www.docexamplewebsite.com', 'my.example.s3.bucket'],
      ['doc_example_bucket', 'DocExampleBucket', 'doc-example-bucket-', 'example..com', '192.168.5.4', 'xn--example', 'example-s3alias']],
    ['accessPointName', accessPointNameProblems, ['example-ap', 'my-access-point', 'janes-researchdata-access-point'],
      ['Example-AP', 'example_ap', 'ab', 'example-ap-', '-example-ap', 'example-ap-s3alias', 'example-ap-ext-s3alias']],
    ['principal', principalProblems, ['arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:user/user-name', 'arn:aws:iam::123456789012:role/role-name',
      'arn:aws:sts::123456789012:assumed-role/role-name/role-session-name', 'arn:aws:sts::123456789012:federated-user/user-name', '123456789012', '*'],
    ['arn:aws:iam:111122223333:user/Jane', 'arn:aws:iam::123456789012:group/group-name', 'arn:aws:s3:::docexamplebucket1', 'Jane']],
    ['tagKey', tagKeyProblems, ['Project', 'cost-center', 'team:data/mesh', 'Owner Email@x'], ['', 'aws:cloudformation:stack-name', 'a*b', 'k'.repeat(129)]],
  ] as const)('%s', (_name, validate, valid, invalid) => {
    expect(valid.filter((v) => validate(v).length > 0)).toEqual([]);
    expect(invalid.filter((v) => validate(v).length === 0)).toEqual([]);
  });
});

/** Literal parts around a token are still judged: only the token's own value is unknown at synth. */
describe('literal parts around tokens', () => {
  const token = () => Lazy.string({ produce: () => 'x' });
  test.each([
    ['an account ID with a letter', accountIdProblems, `1111a${token()}`],
    ['an account ID with more than 12 known digits', accountIdProblems, `1111222233334${token()}`],
    ['an access point name with uppercase', accessPointNameProblems, `Readers-${token()}`],
    ['an access point name longer than 50 known characters', accessPointNameProblems, `${'a'.repeat(51)}${token()}`],
    ['a principal ARN whose Region field is filled in', principalProblems, `arn:${token()}:iam:eu-west-3:111122223333:user/Jane`],
    ['a principal ARN with an 11-digit account', principalProblems, `arn:${token()}:iam::11112222333:root`],
    ['a prefix with a ".." folder', prefixProblems, `${token()}/../Finance`],
    ['an organization ID that does not start with o-', organizationIdProblems, `x-${token()}`],
    ['a principal ARN with a wildcard around a token', principalProblems, `arn:aws:iam::${token()}:role/*`],
  ] as const)('rejects %s', (_what, validate, value) => {
    expect(Token.isUnresolved(value)).toBe(true);
    expect(validate(value)).not.toEqual([]);
  });
});
