/**
 * Sign-in for the add-in: a Cognito user pool (e-mail sign-in, the `custom:team` attribute, a
 * `managers` group), its hosted UI domain, and one public app client for the authorization
 * code flow with PKCE, redirecting back to the add-in's pages.
 */
import { Aws, Duration, Fn, RemovalPolicy } from "aws-cdk-lib";
import {
  AccountRecovery,
  type CfnUserPoolClient,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";

/** The group whose members are credit managers (the `cognito:groups` claim). */
export const managersGroup = "managers";

/** Pages of the add-in that Cognito redirects to (see `dist/` in the contracts). */
export const authPages = {
  callback: "/auth-callback.html",
  signOut: "/auth-callback.html",
} as const;

/** Props of {@link AddinAuth}. */
export interface AddinAuthProps {
  /** `https://…` origin of the add-in, without a trailing slash. */
  readonly addinUrl: string;
  /** Hosted UI domain prefix; `undefined` uses `crm-credit-<account id>`. */
  readonly domainPrefix: string | undefined;
}

/** The user pool, its hosted UI domain and the add-in's app client. */
export class AddinAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
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

    this.client = this.userPool.addClient("Addin", {
      // A browser app cannot keep a secret: a public client, protected by PKCE instead.
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.addinUrl}${authPages.callback}`],
        logoutUrls: [`${props.addinUrl}${authPages.signOut}`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes("team"),
      // No custom attributes here: that is what keeps `custom:team` out of users' hands.
      // Cognito wants required attributes (email) writable by the client.
      writeAttributes: new ClientAttributes().withStandardAttributes({
        email: true,
        fullname: true,
      }),
    });
    // Sign-in only through the hosted UI (code + PKCE): no password (SRP) or custom-auth flows
    // straight from the client, which Cognito would otherwise allow by default. Refreshing
    // tokens stays allowed. CDK's `authFlows` cannot express "refresh only".
    (this.client.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = [
      "ALLOW_REFRESH_TOKEN_AUTH",
    ];
  }
}
