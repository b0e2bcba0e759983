/** The add-in's Content-Security-Policy as a header value, from the origins the pane uses. */
import { describe, expect, it } from "vitest";
import {
  connectOrigins,
  contentSecurityPolicy,
  officeFrameAncestors,
} from "./content-security-policy.ts";

describe("contentSecurityPolicy", () => {
  it("lets the pages connect to their own origin only when nothing else is named", () => {
    expect(contentSecurityPolicy(connectOrigins({}))).toContain("; connect-src 'self'; ");
  });

  it("names the API, the hosted UI and the user pool's issuer for a deployed config", () => {
    const origins = connectOrigins({
      apiOrigin: "https://a1.execute-api.eu-west-1.amazonaws.com",
      signIn: { domain: "acme.auth.eu-west-1.amazoncognito.com", region: "eu-west-1" },
    });
    expect(origins).toEqual([
      "https://a1.execute-api.eu-west-1.amazonaws.com",
      "https://acme.auth.eu-west-1.amazoncognito.com",
      "https://cognito-idp.eu-west-1.amazonaws.com",
    ]);
  });

  it("writes one directive per name, separated by semicolons", () => {
    const names = contentSecurityPolicy([])
      .split("; ")
      .map((directive) => directive.split(" ")[0]);
    expect(names).toEqual([
      "default-src",
      "script-src",
      "style-src",
      "img-src",
      "font-src",
      "connect-src",
      "frame-ancestors",
      "object-src",
      "base-uri",
      "form-action",
    ]);
  });

  it("lets only https Office hosts frame the pages", () => {
    expect(officeFrameAncestors.every((host) => host.startsWith("https://"))).toBe(true);
    expect(contentSecurityPolicy([])).toContain(
      `frame-ancestors ${officeFrameAncestors.join(" ")};`,
    );
  });
});
