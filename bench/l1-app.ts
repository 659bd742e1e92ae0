/**
 * The benchmark app written by hand with L1 classes only: the same resources as the library app,
 * with the policy JSON written out directly, each reader role's identity policy included (an
 * `iam.CfnPolicy` naming the role). It is the floor the library is compared with.
 *
 * node l1-app.js --accounts N --outdir DIR [--stats]
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { addConsumerStacks, addOwnerStack } from './l1-resources';
import { consumerAccounts, newApp, parseAppArgs, printResult, readerRoleName } from './topology';

const args = parseAppArgs(process.argv.slice(2));
const accounts = consumerAccounts(args.accounts);
const app = newApp(args);

const owner = addOwnerStack(app, accounts);

// Consumers: the access points, and the same permissions in each reader role's identity policy.
addConsumerStacks(app, owner, accounts, ({ stack, index, name, statements }) => {
  new iam.CfnPolicy(stack, `Reader${index}Policy`, {
    policyName: `${name}-read`,
    roles: [readerRoleName(index)],
    policyDocument: { Version: '2012-10-17', Statement: statements },
  });
});

app.synth();
printResult(app, args);
