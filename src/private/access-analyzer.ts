import { CfnResource, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import { Construct, IConstruct } from 'constructs';
import { Boundary, isOrganization } from './boundary';

/*
 * IAM Access Analyzer for a delegated bucket: an analyzer whose zone of trust is the owner's
 * account, with archive rules that mark as expected the findings the delegations cause, so that
 * only sharing nobody delegated stays active.
 *
 * The archive rules use documented filter keys only (IAM Access Analyzer filter keys):
 * - `resource`: the bucket's ARN, and the key's for the key's findings;
 * - `principal.AWS`: the delegated account. With Block Public Access on, IAM Access Analyzer reports
 *   a bucket policy that delegates to another account's access points (`s3:DataAccessPointAccount`)
 *   as cross-account access for that account (finding source `S3_ACCESS_POINT_ACCOUNT`);
 * - `condition.kms:CallerAccount`: the delegated account, for the key policy's statements;
 * - `condition.aws:PrincipalOrgID` and `condition.aws:PrincipalOrgPaths`: delegated organizations
 *   and organizational units, in the bucket policy and the key policy alike.
 * `condition.s3:DataAccessPointAccount` is not a documented filter key, so no rule relies on it.
 */

/** The construct id of the analyzer, under the DelegatedBucket. */
const ACCESS_ANALYZER_ID = 'AccessAnalyzer';

/** An archive rule takes at most 20 values per criterion. */
const VALUES_PER_CRITERION = 20;

export interface AccessAnalyzerOptions {
  /** The bucket's name, to name the analyzer. */
  readonly bucketName: string;
  /** The bucket's ARN as findings name it: `arn:PARTITION:s3:::NAME`. */
  readonly bucketArn: string;
  /** The ARN of the bucket's customer-managed key, when it has one. */
  readonly keyArn?: string;
  /** The owner's account: its own access points are in the zone of trust and give no finding. */
  readonly ownerAccount: string;
  /** The bucket's boundaries, read when the app is synthesized (delegations may come later). */
  readonly boundaries: () => Boundary[];
}

/**
 * An analyzer of type ACCOUNT, named from the bucket, whose archive rules are made from the
 * delegations when the app is synthesized.
 */
export function addAccessAnalyzer(scope: Construct, options: AccessAnalyzerOptions): accessanalyzer.CfnAnalyzer {
  const analyzer = new accessanalyzer.CfnAnalyzer(scope, ACCESS_ANALYZER_ID, {
    type: 'ACCOUNT',
    // Analyzer names start with a letter; bucket names may start with a digit.
    analyzerName: `delegated-bucket-${options.bucketName}`,
    // Produced on each resolution, as the bucket policy is: a delegation made after a first resolution joins the rules.
    archiveRules: Lazy.uncachedAny({ produce: () => archiveRules(options) }, { omitEmptyArray: true }),
  });
  analyzer.node.addValidation({ validate: () => oneAnalyzerPerAccountAndRegion(analyzer) });
  return analyzer;
}

/** The archive rules of the delegations: at most 20 accounts, organizations or OU paths each. */
function archiveRules(options: AccessAnalyzerOptions): accessanalyzer.CfnAnalyzer.ArchiveRuleProperty[] {
  const boundaries = options.boundaries();
  const accounts = unique(boundaries.filter((b) => !isOrganization(b) && b.account !== options.ownerAccount).map((b) => b.account));
  // An organization that one delegation trusts as a whole is archived as a whole, whatever its OU delegations.
  const organizations = unique(boundaries.filter(isOrganization).map((b) => b.account));
  const wholeOrganizations = organizations.filter((org) => boundaries.some((b) => b.account === org && b.organizationalUnitPaths!.length === 0));
  const resources = options.keyArn ? [options.bucketArn, options.keyArn] : [options.bucketArn];
  const rule = (name: string, index: number, filter: accessanalyzer.CfnAnalyzer.FilterProperty[]) => ({ ruleName: `${name}-${index + 1}`, filter });

  const rules: accessanalyzer.CfnAnalyzer.ArchiveRuleProperty[] = [];
  chunks(accounts).forEach((chunk, i) => rules.push(rule('delegated-accounts', i, [
    { property: 'resource', eq: [options.bucketArn] },
    { property: 'principal.AWS', eq: chunk },
  ])));
  if (options.keyArn) {
    chunks(accounts).forEach((chunk, i) => rules.push(rule('delegated-accounts-key', i, [
      { property: 'resource', eq: [options.keyArn!] },
      { property: 'condition.kms:CallerAccount', eq: chunk },
    ])));
  }
  chunks(wholeOrganizations).forEach((chunk, i) => rules.push(rule('delegated-organizations', i, [
    { property: 'resource', eq: resources },
    { property: 'condition.aws:PrincipalOrgID', eq: chunk },
  ])));
  let unitRules = 0;
  for (const org of organizations.filter((o) => !wholeOrganizations.includes(o))) {
    const paths = unique(boundaries.filter((b) => b.account === org).flatMap((b) => b.organizationalUnitPaths!));
    // `contains`: the policy says `PATH*`, and a deeper OU's path starts with PATH, inside the delegation.
    chunks(paths).forEach((chunk) => rules.push(rule('delegated-organizational-units', unitRules++, [
      { property: 'resource', eq: resources },
      { property: 'condition.aws:PrincipalOrgID', eq: [org] },
      { property: 'condition.aws:PrincipalOrgPaths', contains: chunk },
    ])));
  }
  return rules;
}

/**
 * An account has at most one analyzer of type ACCOUNT per Region, a quota AWS does not raise:
 * report each other one of the app in the same account and Region.
 */
function oneAnalyzerPerAccountAndRegion(analyzer: accessanalyzer.CfnAnalyzer): string[] {
  const here = Stack.of(analyzer);
  const sameEnvironment = (stack: Stack) => stack === here || (
    !Token.isUnresolved(here.account) && !Token.isUnresolved(here.region) && stack.account === here.account && stack.region === here.region);
  const others: string[] = [];
  const visit = (c: IConstruct): void => {
    if (c !== analyzer && isAccountAnalyzer(c) && sameEnvironment(Stack.of(c))) {
      others.push(c.node.path);
    }
    c.node.children.forEach(visit);
  };
  visit(analyzer.node.root);
  if (others.length === 0) {
    return [];
  }
  const where = Token.isUnresolved(here.account) || Token.isUnresolved(here.region) ? 'its stack' : `account ${here.account} in ${here.region}`;
  return [
    'accessAnalyzer must be on for one bucket per account and Region: an account has at most one analyzer of type ACCOUNT per Region, ' +
    `and ${others.join(', ')} is one more in ${where}`,
  ];
}

function isAccountAnalyzer(c: IConstruct): c is accessanalyzer.CfnAnalyzer {
  return CfnResource.isCfnResource(c) && c.cfnResourceType === accessanalyzer.CfnAnalyzer.CFN_RESOURCE_TYPE_NAME && (c as accessanalyzer.CfnAnalyzer).type === 'ACCOUNT';
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function chunks(values: string[]): string[][] {
  const result: string[][] = [];
  for (let i = 0; i < values.length; i += VALUES_PER_CRITERION) {
    result.push(values.slice(i, i + VALUES_PER_CRITERION));
  }
  return result;
}
