/**
 * The sign-in part of the template on its own (a small stack, no bundling): rotating refresh
 * tokens on the add-in's app client, and Microsoft Entra ID federated as an OpenID Connect
 * identity provider when the context setting asks for it, with cdk-nag's AWS Solutions checks.
 */
import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { AddinAuth, entraProviderName } from "./auth.ts";
import { readStackSettings } from "./settings.ts";

const tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const entraContext: Record<string, string> = {
  entraTenantId: tenantId,
  entraClientId: "0c8e4a53-2f2b-4f4e-9d39-8e1b6e2c6a11",
  entraClientSecretName: "crm/entra-client-secret",
};

function synth(context: Record<string, string>): { template: Template; stack: Stack } {
  const app = new App();
  const stack = new Stack(app, "AuthTest", {
    env: { account: "123456789012", region: "eu-west-1" },
  });
  const settings = readStackSettings((key) => context[key]);
  new AddinAuth(stack, "Auth", {
    addinUrl: "https://d111111abcdef8.cloudfront.net",
    domainPrefix: "crm-test",
    entra: settings.entra,
  });
  return { template: Template.fromStack(stack), stack };
}

const plain = synth({});
const federated = synth(entraContext);
const withTeam = synth({ ...entraContext, entraTeamClaim: "extn.crmTeam" });

function clientProps(template: Template): Record<string, unknown> {
  const [client] = Object.values(template.findResources("AWS::Cognito::UserPoolClient"));
  return (client as { Properties: Record<string, unknown> }).Properties;
}

describe("refresh tokens", () => {
  it("rotate on every refresh, the old one lasting 30 seconds for a retry", () => {
    plain.template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 30 },
      RefreshTokenValidity: 30 * 24 * 60,
      EnableTokenRevocation: true,
    });
  });

  it("leave the client no sign-in flow of its own, not even REFRESH_TOKEN_AUTH", () => {
    // Rotation rules out REFRESH_TOKEN_AUTH; an absent list would be Cognito's defaults.
    expect(clientProps(plain.template).ExplicitAuthFlows).toEqual([]);
  });

  it("still come only from the code flow with PKCE of a public client", () => {
    plain.template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      AllowedOAuthFlows: ["code"],
      GenerateSecret: false,
    });
  });
});

describe("without Microsoft Entra ID", () => {
  it("has no identity provider and signs in with Cognito accounts only", () => {
    plain.template.resourceCountIs("AWS::Cognito::UserPoolIdentityProvider", 0);
    expect(clientProps(plain.template).SupportedIdentityProviders).toEqual(["COGNITO"]);
  });
});

describe("with Microsoft Entra ID from the context setting", () => {
  it("federates the tenant's issuer as an OpenID Connect provider", () => {
    federated.template.hasResourceProperties("AWS::Cognito::UserPoolIdentityProvider", {
      ProviderName: entraProviderName,
      ProviderType: "OIDC",
      ProviderDetails: Match.objectLike({
        oidc_issuer: `https://login.microsoftonline.com/${tenantId}/v2.0`,
        client_id: entraContext.entraClientId,
        authorize_scopes: "openid email profile",
        attributes_request_method: "GET",
      }),
    });
  });

  it("keeps the client secret in Secrets Manager: the template holds only a reference", () => {
    const [idp] = Object.values(
      federated.template.findResources("AWS::Cognito::UserPoolIdentityProvider"),
    );
    const details = (idp as { Properties: { ProviderDetails: { client_secret: unknown } } })
      .Properties.ProviderDetails;
    expect(JSON.stringify(details.client_secret)).toMatch(
      /^"\{\{resolve:secretsmanager:crm\/entra-client-secret:SecretString:::\}\}"$/,
    );
  });

  it("offers Microsoft sign-in on the add-in's app client, after the provider exists", () => {
    const client = Object.values(
      federated.template.findResources("AWS::Cognito::UserPoolClient"),
    )[0] as { Properties: Record<string, unknown>; DependsOn?: string[] };
    const [idpId] = Object.keys(
      federated.template.findResources("AWS::Cognito::UserPoolIdentityProvider"),
    );
    // The reference is the provider's name; it also orders the provider before the client.
    expect([client.Properties.SupportedIdentityProviders, client.DependsOn]).toEqual([
      ["COGNITO", { Ref: idpId }],
      [idpId],
    ]);
  });

  it("maps e-mail and name, and leaves the team to administrators by default", () => {
    federated.template.hasResourceProperties("AWS::Cognito::UserPoolIdentityProvider", {
      AttributeMapping: { email: "email", name: "name" },
    });
    expect(clientProps(federated.template).WriteAttributes).toEqual(["email", "name"]);
  });

  it("maps the team from the named claim, which the client may then write", () => {
    withTeam.template.hasResourceProperties("AWS::Cognito::UserPoolIdentityProvider", {
      AttributeMapping: { email: "email", name: "name", "custom:team": "extn.crmTeam" },
    });
    expect(clientProps(withTeam.template).WriteAttributes).toEqual([
      "custom:team",
      "email",
      "name",
    ]);
  });

  it("passes cdk-nag's AWS Solutions checks", () => {
    const report = new AwsSolutionsChecks().validateScope(withTeam.stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});

describe("the Entra ID context setting", () => {
  it("needs the tenant, client id and secret together", () => {
    expect(() =>
      readStackSettings((key) => ({ entraTenantId: tenantId })[key as "entraTenantId"]),
    ).toThrow("set entraTenantId, entraClientId and entraClientSecretName together");
  });

  it("refuses a tenant id that is not a GUID", () => {
    expect(() =>
      readStackSettings((key) => ({ ...entraContext, entraTenantId: "contoso.com" })[key]),
    ).toThrow(/context entraTenantId: must be a GUID/);
  });
});
