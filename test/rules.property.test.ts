/**
 * Property-based tests of the validators: for strings drawn at random, a validator accepts
 * exactly the strings that AWS's rule (written here independently, from AWS-FACTS.md) accepts,
 * and never judges an unresolved token.
 */
import { Lazy, Token } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { accessPointNameProblems, accountIdProblems, bucketNameProblems, prefixProblems, principalProblems, regionProblems } from '../src/private/rules';

/** AWS's rules, restated as plain predicates: the oracle the validators are compared with. */
const AWS_RULES = {
  accessPointName: (s: string) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s) && s.length >= 3 && s.length <= 50 && !s.endsWith('-s3alias'),
  accountId: (s: string) => /^[0-9]{12}$/.test(s),
  region: (s: string) => /^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(s),
  bucketName: (s: string) => s.length >= 3 && s.length <= 63 && /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(s) && !s.includes('..')
    && !/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(s)
    && !['xn--', 'sthree-', 'amzn-s3-demo-'].some((p) => s.startsWith(p))
    && !['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].some((x) => s.endsWith(x)),
  prefix: (s: string) => s.replace(/\/$/, '') !== '' && !s.startsWith('/') && !/[*?]/.test(s) && !s.includes('//') && !s.includes('${')
    && Buffer.byteLength(s, 'utf8') <= 1000,
  principal: (s: string) => s === '*' || /^[0-9]{12}$/.test(s)
    || /^arn:aws(-[a-z]+)*:(iam|sts)::[0-9]{12}:(root|(user|role|assumed-role|federated-user)\/.+)$/.test(s),
};

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
    pieces(['Research', 'Data', '/', '*', '?', '${', 'aws:username', '}', '-', ' '], 8),
    fc.string(),
  ),
  principal: fc.oneof(
    fc.tuple(fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'), fc.constantFrom('iam', 'sts'), fc.stringMatching(/^[0-9]{12}$/),
      fc.constantFrom('root', 'user/Jane', 'role/Admin', 'assumed-role/Admin/session', 'federated-user/bob', 'group/Admins', ''))
      .map(([p, svc, acct, res]) => `arn:${p}:${svc}::${acct}:${res}`),
    pieces(['arn', ':', 'aws', 'iam', '111122223333', 'user/Jane', 's3', 'eu-west-3', '*'], 9),
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

  test('never rejects an unresolved token, alone or inside a string', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (before, after) => {
      const token = Lazy.string({ produce: () => 'anything' });
      expect(Token.isUnresolved(`${before}${token}${after}`)).toBe(true);
      expect(validate(token)).toEqual([]);
      expect(validate(`${before}${token}${after}`)).toEqual([]);
    }), { numRuns: 200 });
  });
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
  ] as const)('%s', (_name, validate, valid, invalid) => {
    expect(valid.filter((v) => validate(v).length > 0)).toEqual([]);
    expect(invalid.filter((v) => validate(v).length === 0)).toEqual([]);
  });
});
