import type { ConsoleLogin } from '../accounts/first-accounts.js';
import type { CommuneDemo } from '../commune-runtime.js';
import type { DemoCredentials } from '../demo-seed.js';
import type { Settings } from '../settings.js';

/** What the first start prints: where things are and the demo credentials, once. */
export function startBanner(
  httpUrl: string,
  settings: Settings,
  demo: DemoCredentials | undefined,
  consoleLogins: readonly ConsoleLogin[] = [],
  communeDemo?: CommuneDemo,
): string {
  const lines = [
    '',
    'Telekommune is running.',
    `  HTTP API:      ${httpUrl}   (OpenAPI at ${httpUrl}/openapi.json, health at ${httpUrl}/healthz)`,
    `  Web console:   ${httpUrl}/`,
    `  Data:          ${settings.dataDir}`,
  ];
  if (consoleLogins.length > 0) {
    lines.push(
      '',
      `Console sign-in at ${httpUrl}/ (shown only now; change with telekommune accounts passwd):`,
      ...consoleLogins.map((l) => `  ${l.username.padEnd(14)} ${l.password}   ${l.description}`),
    );
  }
  if (demo) {
    lines.push(
      '',
      'First start: a demo was created. These credentials are shown only now.',
      `  Operator API token: ${demo.operatorToken}`,
      `  Demo tenant "${demo.tenant.id}", SIP domain ${demo.tenant.domain}:`,
      ...demo.extensions.map(
        (e) =>
          `    extension ${e.number}  ${e.name.padEnd(12)} SIP password ${e.password}   voicemail PIN ${e.voicemailPin}`,
      ),
      '',
      'Register a softphone with user name = extension, domain = the SIP domain, the password above,',
      `and outbound proxy 127.0.0.1:${settings.sipPort} (UDP or TCP). A baresip account line:`,
      `  <sip:${demo.extensions[0]?.number}@${demo.tenant.domain}>;auth_pass=${demo.extensions[0]?.password};outbound="sip:127.0.0.1:${settings.sipPort}"`,
      'Then dial another demo extension; unanswered calls go to its voicemail, and *97 listens',
      'to your own (the PIN above). See docs/calls.md and docs/voicemail.md.',
    );
  }
  if (communeDemo) {
    lines.push(
      '',
      `A demo Venture Commune was founded: ${communeDemo.commune}, ${communeDemo.members.length} members, ${communeDemo.entries} log entries.`,
      `  See it: telekommune commune summary   (or GET ${httpUrl}/api/commune; docs/commune.md explains it)`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
