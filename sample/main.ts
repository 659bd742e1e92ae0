import { App } from 'aws-cdk-lib';
import { createSampleApp } from './sample-app';

const app = new App();
createSampleApp(app);
app.synth();
