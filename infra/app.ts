/**
 * The CDK app (`npm run synth`, `npm run deploy`): one environment-agnostic stack, settings
 * from context, and cdk-nag's AWS Solutions checks over all of it (suppressions, each with a
 * reason, live in nag-suppressions.ts).
 */
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { CrmStack } from "./crm-stack.ts";
import { readStackSettings } from "./settings.ts";
import { stackName } from "./stack-names.ts";

try {
  const app = new App();
  new CrmStack(app, stackName, {
    settings: readStackSettings((key) => app.node.tryGetContext(key)),
    description: "CRM credit: shared customer records, API, sign-in and add-in hosting",
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  app.synth();
} catch (error) {
  // A bad setting or a cdk-nag finding is the user's to fix: the message, not a stack trace.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
