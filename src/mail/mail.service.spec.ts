import { Logger } from '@nestjs/common';
import { MailUnavailableError } from './mail.errors';
import { MailService } from './mail.service';
import { createMailTransport } from './mail.transport';

const ACCOUNTS = {
  emailVerification: 'optional' as const,
  passwordResetTimeoutSeconds: 3600,
  emailTokenTimeoutSeconds: 3 * 86_400,
  reauthTimeoutSeconds: 600,
};

describe(MailService.name, () => {
  const logged: string[] = [];
  const logger = { log: (line: string) => logged.push(line) } as unknown as Logger;
  const make = async (url: string | null, publicUrl: string | null = 'https://app.example.com') =>
    new MailService(
      await createMailTransport(url, logger),
      { url, from: publicUrl && 'no-reply@app.example.com' },
      { publicUrl },
      ACCOUNTS,
    );

  beforeEach(() => (logged.length = 0));

  it('with MAIL_URL=log, writes each mail to the log with its link alone on a line, from PUBLIC_URL', async () => {
    await (await make('log')).passwordReset('alice@example.org', 'tok.en');
    expect(logged).toHaveLength(1);
    const [line] = logged;
    expect(line).toMatch(
      /^mail to "alice@example.org": Reset your password for app\.example\.com\n/,
    );
    expect(line.split('\n')).toContain('https://app.example.com/password/reset?token=tok.en');
    expect(line).toContain('works for 1 hour');
  });

  it('names the key to set when mail is off, or links cannot be built', async () => {
    await expect(make('none').then((m) => m.assertCanSend())).rejects.toThrow(MailUnavailableError);
    expect((await make('none')).unavailableReason()).toMatch(/MAIL_URL=none/);
    expect((await make(null)).unavailableReason()).toMatch(/^MAIL_URL is not set/);
    expect((await make('log', null)).unavailableReason()).toMatch(/^PUBLIC_URL is not set/);
    expect((await make('log')).unavailableReason()).toBeNull();
  });

  it('sends nothing for a notice while mail is off, and does not fail the change it reports', async () => {
    await expect(
      (await make('none')).passwordChanged('alice@example.org'),
    ).resolves.toBeUndefined();
    expect(logged).toEqual([]);
  });
});
