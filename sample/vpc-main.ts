import { App } from 'aws-cdk-lib';
import { createVpcExample } from './vpc-example';

const app = new App();
createVpcExample(app);
app.synth();
