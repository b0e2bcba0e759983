/**
 * The add-in's Content-Security-Policy, in one place: CloudFront sends it with every page
 * (`infra/hosting.ts`) and the local dev server sends the same one (`scripts/dev-server.ts`), so
 * the browser tests run the pane under the policy it has in AWS. Pure: strings in, the header
 * out, and no URL parsing, because in CDK the origins are CloudFormation tokens until deploy.
 */

/** Microsoft's office.js CDN: Office requires add-ins to load office.js from there. */
export const officeJsOrigin = "https://appsforoffice.microsoft.com";

/**
 * The pages that may frame the task pane: Excel on the web (its frame on officeapps.live.com,
 * inside Microsoft 365, office.com, cloud.microsoft, SharePoint / OneDrive for business, consumer
 * OneDrive, or Teams). `frame-ancestors` checks every ancestor, so the outer page's host counts
 * too. Excel on Windows and Mac shows the pane as a top-level page in a web view, where
 * `frame-ancestors` does not apply. Sources: Microsoft's Teams/Microsoft 365 app host list
 * (`*.cloud.microsoft`, `*.microsoft365.com`, `*.office.com`, `teams.microsoft.com`) and the
 * hosts Excel on the web frames add-ins from (`*.officeapps.live.com`, `*.sharepoint.com`,
 * `onedrive.live.com`); see docs/deploy.md, "Content-Security-Policy".
 */
export const officeFrameAncestors = [
  "https://*.officeapps.live.com",
  "https://*.office.com",
  "https://*.microsoft365.com",
  "https://*.cloud.microsoft",
  "https://*.sharepoint.com",
  "https://onedrive.live.com",
  "https://teams.microsoft.com",
  "https://*.teams.microsoft.com",
] as const;

/** What the pane connects to besides its own origin, as `config.json` describes it. */
export interface ConnectTargets {
  /** The API's origin (`https://…`, no path); absent when the API is on the pane's origin. */
  readonly apiOrigin?: string;
  /** The Cognito hosted UI host name (no scheme) and the user pool's region. */
  readonly signIn?: { readonly domain: string; readonly region: string };
}

/**
 * The origins `connect-src` allows besides `'self'`: the API, the hosted UI (token endpoint) and
 * the user pool's issuer (OIDC discovery and keys).
 * @example connectOrigins({ apiOrigin: "https://a1.execute-api.eu-west-1.amazonaws.com",
 *   signIn: { domain: "acme.auth.eu-west-1.amazoncognito.com", region: "eu-west-1" } })
 */
export function connectOrigins(targets: ConnectTargets): string[] {
  const origins: string[] = [];
  if (targets.apiOrigin) origins.push(targets.apiOrigin);
  if (targets.signIn) {
    origins.push(
      `https://${targets.signIn.domain}`,
      `https://cognito-idp.${targets.signIn.region}.amazonaws.com`,
    );
  }
  return [...new Set(origins)];
}

/**
 * The policy's directives, in the order they are sent. Scripts only from the add-in's origin and
 * the office.js CDN (no inline script, no eval), styles, images and fonts only from the add-in's
 * origin, connections only to the given origins.
 */
function contentSecurityPolicyDirectives(connect: readonly string[]): [string, string[]][] {
  return [
    ["default-src", ["'self'"]],
    ["script-src", ["'self'", officeJsOrigin]],
    ["style-src", ["'self'"]],
    ["img-src", ["'self'"]],
    ["font-src", ["'self'"]],
    ["connect-src", ["'self'", ...connect]],
    ["frame-ancestors", [...officeFrameAncestors]],
    ["object-src", ["'none'"]],
    ["base-uri", ["'self'"]],
    ["form-action", ["'self'"]],
  ];
}

/**
 * The `Content-Security-Policy` header value.
 * @example contentSecurityPolicy(connectOrigins({})) // "default-src 'self'; script-src …"
 */
export function contentSecurityPolicy(connect: readonly string[]): string {
  return contentSecurityPolicyDirectives(connect)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}
