/**
 * The benchmark app written by hand with L1 classes only: the same resources as the library app,
 * with the policy JSON written out directly, each reader role's identity policy included (an
 * `iam.CfnPolicy` naming the role). It is the floor the library is compared with.
 *
 * node l1-app.js --accounts N --outdir DIR [--stats]
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { accessPointArn, addAccessPoint, addOwnerStack, readStatements } from './l1-resources';
import {
  ACCESS_POINTS_PER_CONSUMER, REGION, accessPointName, consumerAccounts, consumerStackName, newApp, parseAppArgs, printResult,
  readerRoleArn, readerRoleName,
} from './topology';

const args = parseAppArgs(process.argv.slice(2));
const accounts = consumerAccounts(args.accounts);
const app = newApp(args);

const owner = addOwnerStack(app, accounts);

// Consumers: per account, access points whose policies let one reader role each read under the prefix,
// and the same permissions in each role's identity policy.
accounts.forEach((account, i) => {
  const stack = new Stack(app, consumerStackName(i), { env: { account, region: REGION } });
  stack.addDependency(owner);
  for (let j = 0; j < ACCESS_POINTS_PER_CONSUMER; j++) {
    const name = accessPointName(i, j);
    const statements = readStatements(accessPointArn(account, name));
    addAccessPoint(stack, `AccessPoint${j}`, name, statements, readerRoleArn(account, j));
    new iam.CfnPolicy(stack, `Reader${j}Policy`, {
      policyName: `${name}-read`,
      roles: [readerRoleName(j)],
      policyDocument: { Version: '2012-10-17', Statement: statements },
    });
  }
});

app.synth();
printResult(app, args);
