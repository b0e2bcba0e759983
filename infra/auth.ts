/**
 * Sign-in for the add-in: a Cognito user pool (e-mail sign-in, the `custom:team` attribute, a
 * `managers` group), its hosted UI domain, one public app client for the authorization code
 * flow with PKCE and rotating refresh tokens, redirecting back to the add-in's pages, and
 * optionally Microsoft Entra ID (a company's Microsoft 365 accounts) as an OpenID Connect
 * identity provider of the pool.
 */
import { Aws, Duration, Fn, RemovalPolicy, SecretValue } from "aws-cdk-lib";
import {
  AccountRecovery,
  type CfnUserPoolClient,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  OidcAttributeRequestMethod,
  ProviderAttribute,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolIdentityProviderOidc,
} from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";
import { MANAGERS_GROUP } from "../core/roles.ts";
import type { EntraSignIn } from "./settings.ts";

/** The group whose members are credit managers (the `cognito:groups` claim). */
export const managersGroup = MANAGERS_GROUP;

/** Pages of the add-in that Cognito redirects to (see `dist/` in the contracts). */
export const authPages = {
  callback: "/auth-callback.html",
  signOut: "/auth-callback.html",
} as const;

/** The identity provider name of Microsoft Entra ID in the pool (the hosted UI's button). */
export const entraProviderName = "Microsoft";

/**
 * How long a refresh token that was just rotated out still works (Cognito allows 0–60 s): long
 * enough for the pane to retry a refresh whose answer was lost (it retries after 15 s), short
 * enough that a stolen one is of little use.
 */
export const refreshTokenGracePeriod = Duration.seconds(30);

/** Entra ID's issuer for a tenant (its v2.0 endpoints, which Cognito discovers from it). */
export function entraIssuer(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

/** Props of {@link AddinAuth}. */
export interface AddinAuthProps {
  /** `https://…` origin of the add-in, without a trailing slash. */
  readonly addinUrl: string;
  /** Hosted UI domain prefix; `undefined` uses `crm-credit-<account id>`. */
  readonly domainPrefix: string | undefined;
  /** Let staff sign in with their Microsoft 365 accounts; `undefined`: Cognito accounts only. */
  readonly entra?: EntraSignIn | undefined;
}

/** The user pool, its hosted UI domain and the add-in's app client. */
export class AddinAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** Microsoft Entra ID as an identity provider, when configured. */
  readonly entra: UserPoolIdentityProviderOidc | undefined;
  /** Host name of the hosted UI, e.g. `crm-credit-123.auth.eu-west-1.amazoncognito.com`. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: AddinAuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, "Users", {
      // Administrators add people to a team; an open sign-up would let anyone pick one.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // Mutable so an administrator can move someone to another team; users cannot change it
      // themselves because the app client below may not write it.
      customAttributes: { team: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Accounts here can raise credit limits: a second factor (an authenticator app, no SMS
      // cost) and the Plus plan's threat protection (leaked passwords, risky sign-ins).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    new CfnUserPoolGroup(this, "Managers", {
      userPoolId: this.userPool.userPoolId,
      groupName: managersGroup,
      description: "Credit managers: edit the team policy, approve limit requests, run grading",
    });

    const prefix = props.domainPrefix ?? Fn.join("-", ["crm-credit", Aws.ACCOUNT_ID]);
    this.domain = this.userPool.addDomain("HostedUi", { cognitoDomain: { domainPrefix: prefix } });
    this.domainName = Fn.join("", [prefix, ".auth.", Aws.REGION, ".amazoncognito.com"]);

    this.entra = props.entra && this.addEntra(props.entra);
    const teamFromEntra = props.entra?.teamClaim !== undefined;

    this.client = this.userPool.addClient("Addin", {
      // A browser app cannot keep a secret: a public client, protected by PKCE instead.
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.addinUrl}${authPages.callback}`],
        logoutUrls: [`${props.addinUrl}${authPages.signOut}`],
      },
      supportedIdentityProviders: [
        UserPoolClientIdentityProvider.COGNITO,
        ...(this.entra ? [UserPoolClientIdentityProvider.custom(this.entra.providerName)] : []),
      ],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      // Every refresh returns a new refresh token and retires the old one after the grace period,
      // so a leaked refresh token stops working once the pane has used its successor.
      refreshTokenRotationGracePeriod: refreshTokenGracePeriod,
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes("team"),
      // Cognito wants required and mapped attributes writable by the client: email and name,
      // and `custom:team` only when Entra ID supplies it. Users still cannot change their team:
      // UpdateUserAttributes needs an access token with the aws.cognito.signin.user.admin scope,
      // which this client never grants, and it has no sign-in flow of its own (below).
      writeAttributes: teamFromEntra
        ? new ClientAttributes()
            .withStandardAttributes({ email: true, fullname: true })
            .withCustomAttributes("team")
        : new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });
    if (this.entra) this.client.node.addDependency(this.entra);
    // Sign-in only through the hosted UI (code + PKCE) and refresh only at its token endpoint:
    // no flow straight from the client. An empty list, not an absent one (which Cognito reads as
    // SRP, custom auth and REFRESH_TOKEN_AUTH); REFRESH_TOKEN_AUTH is also what rotation rules
    // out (rotating clients refresh with the token endpoint or GetTokensFromRefreshToken).
    (this.client.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = [];
  }

  /**
   * Entra ID as an OpenID Connect provider: Cognito discovers its endpoints from the tenant's
   * issuer, signs the user in there and keeps a federated user (`Microsoft_<id>`) whose e-mail
   * and name come from the ID token at every sign-in, and the team too when `teamClaim` names
   * the claim that carries it. The client secret stays in Secrets Manager: the template holds
   * a dynamic reference that CloudFormation resolves at deploy time.
   */
  private addEntra(entra: EntraSignIn): UserPoolIdentityProviderOidc {
    return new UserPoolIdentityProviderOidc(this, "Entra", {
      userPool: this.userPool,
      name: entraProviderName,
      issuerUrl: entraIssuer(entra.tenantId),
      clientId: entra.clientId,
      clientSecret: SecretValue.secretsManager(entra.clientSecretName).unsafeUnwrap(),
      scopes: ["openid", "email", "profile"],
      attributeRequestMethod: OidcAttributeRequestMethod.GET,
      attributeMapping: {
        email: ProviderAttribute.other("email"),
        fullname: ProviderAttribute.other("name"),
        // CDK passes `custom` keys through as they are; Cognito names custom attributes `custom:…`.
        ...(entra.teamClaim
          ? { custom: { "custom:team": ProviderAttribute.other(entra.teamClaim) } }
          : {}),
      },
    });
  }
}
